using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Sources;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClaimsTracker.Audit;

/// <summary>An event the chains say was changed behind the application's back: altered, removed or inserted.</summary>
public sealed record ChainFinding(string Kind, Guid StreamId, long Version, long? Sequence, string Detail);

/// <summary>A live projected document that differs from the one rebuilt from the events.</summary>
public sealed record ProjectionDifference(string Projection, string Id, string Kind, string[] Fields);

public sealed record VerifyReport(
    bool Ok, long Events, long Seals, long Documents, IReadOnlyList<ChainFinding> Chain,
    IReadOnlyList<ProjectionDifference> Projections, double Seconds)
{
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(Ok
            ? $"verify: OK: {Events} events, {Seals} seals and {Documents} projected documents agree ({Seconds:0.0} s)"
            : $"verify: FAILED: {Chain.Count} chain finding(s), {Projections.Count} projection difference(s) over {Events} events ({Seconds:0.0} s)");
        foreach (var f in Chain)
        {
            text.AppendLine($"  {f.Kind}: stream {f.StreamId} version {f.Version}{(f.Sequence is { } s ? $" (sequence {s})" : "")}: {f.Detail}");
        }

        foreach (var d in Projections)
        {
            text.AppendLine($"  {d.Projection} {d.Id}: {d.Kind}{(d.Fields.Length > 0 ? ": " + string.Join(", ", d.Fields) : "")}");
        }

        return text.ToString();
    }
}

/// <summary>
/// Recomputes every event's seal and both chains, and rebuilds every projection into a shadow copy in memory from
/// the same pass over the log, then compares it document by document with the live projections.
/// </summary>
public sealed class AuditVerifier(IDocumentStore store, IOptions<ChainOptions> options)
{
    private const int PageSize = 5000;

    public async Task<VerifyReport> Verify(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var key = Encoding.UTF8.GetBytes(options.Value.ChainKey);
        await using var session = store.QuerySession();
        var seals = (await session.Query<EventSeal>().OrderBy(s => s.Position).ToListAsync(ct))
            .ToDictionary(s => (s.StreamId, s.Version));
        var chain = new List<ChainFinding>();
        var shadow = new ShadowProjections();
        var seen = new HashSet<(Guid, long)>();
        var readable = store.Options.Events.AllKnownEventTypes().Select(t => t.EventTypeName).Concat(LegacyEvents.Names).ToHashSet();
        long events = 0, after = 0;
        while (true)
        {
            // the chains are checked on the rows as stored, so a row the service cannot even read is still named
            var rows = await StoredRows(session, after, ct);
            var known = rows.Where(r => readable.Contains(r.Content.Type)).Select(r => r.Sequence).ToArray();
            var loaded = known.Length == 0
                ? []
                : await session.Events.QueryAllRawEvents().Where(e => known.Contains(e.Sequence)).OrderBy(e => e.Sequence).ToListAsync(ct);
            foreach (var e in loaded)
            {
                shadow.Apply(e);
            }

            foreach (var (sequence, row) in rows)
            {
                events++;
                if (!readable.Contains(row.Type))
                {
                    chain.Add(new("unreadable", row.StreamId, row.Version, sequence, $"type '{row.Type}' is not an event this service knows"));
                }

                if (!seals.TryGetValue((row.StreamId, row.Version), out var seal))
                {
                    chain.Add(new("inserted", row.StreamId, row.Version, sequence, $"{row.Type} has no seal: it was not appended by the service"));
                    continue;
                }

                seen.Add((row.StreamId, row.Version));
                var expected = ChainFormula.Link(key, row, seal.Position, seal.StreamPrevious, seal.LedgerPrevious);
                if (expected != seal.Hash)
                {
                    chain.Add(new("altered", row.StreamId, row.Version, sequence, $"{row.Type} no longer matches its seal"));
                }
            }

            if (rows.Count < PageSize)
            {
                break;
            }

            after = rows[^1].Sequence;
        }

        chain.AddRange(seals.Values.Where(s => !seen.Contains((s.StreamId, s.Version)))
            .Select(s => new ChainFinding("removed", s.StreamId, s.Version, null, $"the sealed {s.Type} is missing from the log")));
        chain.AddRange(await BrokenLinks(session, seals.Values, ct));

        var differences = await shadow.CompareWithLive(session, ct);
        return new VerifyReport(chain.Count == 0 && differences.Count == 0, events, seals.Count, shadow.Count, chain, differences,
            Math.Round(clock.Elapsed.TotalSeconds, 3));
    }

    /// <summary>A page of rows as stored, column by column, in sequence order: what the seals were computed over.</summary>
    private async Task<List<(long Sequence, SealedContent Content)>> StoredRows(IQuerySession session, long after, CancellationToken ct)
    {
        var rows = new List<(long, SealedContent)>(PageSize);
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var command = new NpgsqlCommand($"""
            select seq_id, stream_id, version, type, timestamp, data::text, user_name, correlation_id, causation_id,
                   headers ->> 'idempotencyKey'
            from {schema}.mt_events where seq_id > $1 order by seq_id limit $2
            """, session.Connection);
        command.Parameters.AddWithValue(after);
        command.Parameters.AddWithValue(PageSize);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), new SealedContent(reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), Text(reader, 6), Text(reader, 7), Text(reader, 8),
                Text(reader, 9))));
        }

        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>A seal removed together with its event leaves a gap in the stream chain or in the ledger.</summary>
    private static async Task<IEnumerable<ChainFinding>> BrokenLinks(IQuerySession session, IEnumerable<EventSeal> all, CancellationToken ct)
    {
        var findings = new List<ChainFinding>();
        var ordered = all.OrderBy(s => s.Position).ToList();
        var previous = ChainFormula.Genesis;
        long position = 0;
        foreach (var seal in ordered)
        {
            if (seal.Position != position + 1 || seal.LedgerPrevious != previous)
            {
                findings.Add(new("removed", seal.StreamId, seal.Version, null,
                    $"the ledger breaks before position {seal.Position}: sealed events before it are missing"));
            }

            (previous, position) = (seal.Hash, seal.Position);
        }

        foreach (var stream in ordered.GroupBy(s => s.StreamId))
        {
            var (streamPrevious, version) = (ChainFormula.Genesis, 0L);
            foreach (var seal in stream.OrderBy(s => s.Version))
            {
                if (seal.Version != version + 1 || seal.StreamPrevious != streamPrevious)
                {
                    findings.Add(new("removed", seal.StreamId, version + 1, null, "the stream's chain breaks here: an event and its seal are missing"));
                }

                (streamPrevious, version) = (seal.Hash, seal.Version);
            }
        }

        var head = await session.LoadAsync<LedgerHead>(LedgerHead.Global, ct);
        if ((head?.Position ?? 0) != position || (head?.Hash ?? ChainFormula.Genesis) != previous)
        {
            var last = ordered.LastOrDefault();
            findings.Add(new("removed", last?.StreamId ?? Guid.Empty, last?.Version ?? 0, null,
                $"the ledger head says position {head?.Position ?? 0} but the last seal is at {position}: the tail was cut"));
        }

        return findings;
    }

    /// <summary>The service's projections rebuilt from the log with their own code, outside the live tables.</summary>
    private sealed class ShadowProjections
    {
        private readonly ClaimSummaryProjection _summaries = new();
        private readonly ClaimTimelineProjection _timelines = new();
        private readonly SourceProfileProjection _sources = new();
        private readonly Dictionary<Guid, ClaimSummary?> _summary = [];
        private readonly Dictionary<Guid, ClaimTimeline?> _timeline = [];
        private readonly Dictionary<Guid, Claim?> _claim = [];
        private readonly Dictionary<string, SourceProfile?> _source = [];
        private readonly Dictionary<string, SourceStatement?> _statement = [];

        public long Count => _summary.Count + _timeline.Count + _claim.Count + _source.Count + _statement.Count;

        public void Apply(IEvent e)
        {
            _summary[e.StreamId] = _summaries.Evolve(_summary.GetValueOrDefault(e.StreamId), e.StreamId, e);
            _timeline[e.StreamId] = _timelines.Evolve(_timeline.GetValueOrDefault(e.StreamId), e.StreamId, e);
            _claim[e.StreamId] = e.Data is ClaimRegistered registered
                ? Claim.Create(registered)
                : _claim.GetValueOrDefault(e.StreamId)?.Then(e.Data);
            // the same identities SourceProfileProjection declares; the verify tests fail if the two drift apart
            if (e.Data is StatementRecorded statement)
            {
                var source = SourceId.Of(statement.Source.Name);
                _source[source] = _sources.Evolve(_source.GetValueOrDefault(source), source, e);
            }

            if (SourceStatementProjection.IdOf(e) is { } said)
            {
                _statement[said] = SourceStatementProjection.Apply(_statement.GetValueOrDefault(said), e);
            }
        }

        public async Task<List<ProjectionDifference>> CompareWithLive(IQuerySession session, CancellationToken ct)
        {
            var differences = new List<ProjectionDifference>();
            Compare("summary", _summary, (await session.Query<ClaimSummary>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
            Compare("timeline", _timeline, (await session.Query<ClaimTimeline>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
            Compare("claim", _claim, (await session.Query<Claim>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
            Compare("source", _source, (await session.Query<SourceProfile>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
            Compare("statement", _statement, (await session.Query<SourceStatement>().ToListAsync(ct)).ToDictionary(d => d.Id), differences);
            return differences;
        }

        private static void Compare<TId, T>(string projection, Dictionary<TId, T?> rebuilt, Dictionary<TId, T> live,
            List<ProjectionDifference> differences) where TId : notnull where T : class
        {
            foreach (var (id, expected) in rebuilt)
            {
                if (expected is null)
                {
                    continue;
                }

                if (!live.TryGetValue(id, out var actual))
                {
                    differences.Add(new(projection, $"{id}", "missing from the live projection", []));
                    continue;
                }

                var fields = DifferentFields(expected, actual);
                if (fields.Length > 0)
                {
                    differences.Add(new(projection, $"{id}", "differs from the rebuild", fields));
                }
            }

            differences.AddRange(live.Keys.Where(id => rebuilt.GetValueOrDefault(id) is null)
                .Select(id => new ProjectionDifference(projection, $"{id}", "has no events behind it", [])));
        }

        private static string[] DifferentFields<T>(T expected, T actual)
        {
            var left = JsonSerializer.SerializeToNode(expected, Json.Options)!.AsObject();
            var right = JsonSerializer.SerializeToNode(actual, Json.Options)!.AsObject();
            return left.Select(p => p.Key).Union(right.Select(p => p.Key))
                .Where(k => !JsonNode.DeepEquals(left[k], right[k]))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }
    }
}
