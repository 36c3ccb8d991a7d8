using System.Diagnostics;
using Npgsql;

namespace ClaimsTracker.FaultTests;

/// <summary>Reads a fault test's database directly: what the event store holds and how far the projections are.</summary>
public sealed class StoreChecks(string connectionString)
{
    private const string ProjectedDocuments = """
        select coalesce(string_agg(x, E'\n' order by x), '') from (
          select 'summary ' || id || ' ' || data::text as x from claims.mt_doc_claimsummary
          union all select 'timeline ' || id || ' ' || data::text from claims.mt_doc_claimtimeline
          union all select 'source ' || id || ' ' || data::text from claims.mt_doc_sourceprofile
          union all select 'statement ' || id || ' ' || data::text from claims.mt_doc_sourcestatement) docs
        """;

    /// <summary>Acknowledged writes that are not in the store at the version and under the key they were answered with.</summary>
    public async Task<List<Acknowledged>> Missing(IEnumerable<Acknowledged> acknowledged)
    {
        var stored = new HashSet<(Guid, long, string)>();
        await foreach (var (stream, version, key) in Events())
        {
            stored.Add((stream, version, key));
        }

        return acknowledged.Where(a => !stored.Contains((a.ClaimId, a.Version, a.Key))).ToList();
    }

    /// <summary>Idempotency keys on more than one event (a retry applied twice), and events without one (every write has one).</summary>
    public async Task<List<string>> DuplicatedKeys()
    {
        var seen = new Dictionary<string, int>();
        await foreach (var (_, _, key) in Events())
        {
            seen[key] = seen.GetValueOrDefault(key) + 1;
        }

        return seen.Where(s => s.Value > 1 || s.Key.Length == 0).Select(s => $"'{s.Key}' on {s.Value} events").ToList();
    }

    public Task<long> EventCount() => Scalar<long>("select count(*) from claims.mt_events where type <> 'tombstone'");

    /// <summary>Marten's own filler events for sequence numbers of appends that failed (no client write behind them).</summary>
    public Task<long> Tombstones() => Scalar<long>("select count(*) from claims.mt_events where type = 'tombstone'");

    /// <summary>Waits (bounded) until every async projection has reached the highest committed event.</summary>
    public async Task<TimeSpan> ProjectionsCaughtUp(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var behind = await Scalar<long>("""
                select count(*) from claims.mt_event_progression p
                where p.name in ('ClaimTimeline:All', 'SourceProfile:All', 'SourceStatement:All')
                  and p.last_seq_id < (select coalesce(max(seq_id), 0) from claims.mt_events)
                """);
            var shards = await Scalar<long>("select count(*) from claims.mt_event_progression where name in ('ClaimTimeline:All', 'SourceProfile:All', 'SourceStatement:All')");
            if (behind == 0 && shards == 3)
            {
                return clock.Elapsed;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the async projections did not catch up within {limit}");
    }

    public Task<string> Projections() => Scalar<string>(ProjectedDocuments);

    /// <summary>The projected documents one dump holds and the other does not, each side's first few, so a mismatch names its documents.</summary>
    public static string Differences(string expected, string actual)
    {
        var wanted = expected.Split('\n').ToHashSet();
        var got = actual.Split('\n').ToHashSet();
        var onlyExpected = wanted.Except(got).Order().Take(5).ToList();
        var onlyActual = got.Except(wanted).Order().Take(5).ToList();
        return onlyExpected.Count + onlyActual.Count == 0
            ? ""
            : $"only in the first:\n{string.Join('\n', onlyExpected)}\nonly in the second:\n{string.Join('\n', onlyActual)}";
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async IAsyncEnumerable<(Guid Stream, long Version, string Key)> Events()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select stream_id, version, coalesce(headers->>'idempotencyKey', '') from claims.mt_events where type <> 'tombstone'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            yield return (reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2));
        }
    }
}
