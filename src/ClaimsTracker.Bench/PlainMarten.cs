using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using Weasel.Core;

namespace ClaimsTracker.Bench;

/// <summary>The peer a user would pick instead of the service: Quick append, no projections, one session per append.</summary>
public sealed class PlainMarten(string connectionString) : IAsyncDisposable
{
    public const string Schema = "plain_marten";

    private readonly DocumentStore _store = DocumentStore.For(opts =>
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = Schema;
        opts.UseSystemTextJsonForSerialization(casing: Casing.CamelCase);
        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        opts.Events.AppendMode = EventAppendMode.Quick;
        opts.Events.MapEventType<ClaimRegistered>("claim_registered");
        opts.Events.MapEventType<StatementRecorded>("statement_recorded");
    });

    public async Task Prepare()
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await _store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    public async Task<Guid> Claim(int statements = 0)
    {
        var id = Guid.CreateVersion7();
        await using var session = _store.LightweightSession();
        session.Events.StartStream(id, Registered(id));
        session.Events.Append(id, Enumerable.Range(0, statements).Select(n => (object)Statement(id, n)));
        await session.SaveChangesAsync();
        return id;
    }

    public async Task<double> Spread(int writers, TimeSpan duration)
    {
        var streams = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Claim()));
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(streams.Select(async (stream, worker) =>
        {
            var done = 0;
            while (clock.Elapsed < duration)
            {
                await using var session = _store.LightweightSession();
                session.Events.Append(stream, Statement(stream, (worker * 1_000_000) + done));
                await session.SaveChangesAsync();
                done++;
            }

            return done;
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>All writers on one stream with AppendOptimistic: a writer that lost the race is refused and retries on a fresh read.</summary>
    public async Task<Contended> Hot(int writers, TimeSpan duration)
    {
        var stream = await Claim();
        var clock = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, writers).Select(async worker =>
        {
            var (appended, refused) = (0, 0);
            while (clock.Elapsed < duration)
            {
                await using var session = _store.LightweightSession();
                await session.Events.AppendOptimistic(stream, Statement(stream, (worker * 1_000_000) + appended + refused));
                try
                {
                    await session.SaveChangesAsync();
                    appended++;
                }
                catch (ConcurrencyException)
                {
                    refused++;
                }
            }

            return (appended, refused);
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var version = await StreamVersion(stream);
        return new(outcomes.Sum(o => o.appended) / seconds, outcomes.Sum(o => o.appended), outcomes.Sum(o => o.refused), version);
    }

    public async Task<Latencies> SingleWriter(Guid stream, TimeSpan duration)
    {
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var session = _store.LightweightSession();
            session.Events.Append(stream, Statement(stream, n));
            await session.SaveChangesAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }

    public async Task<long> StreamVersion(Guid stream)
    {
        await using var session = _store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(stream))?.Version ?? 0;
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private static ClaimRegistered Registered(Guid id) => new(
        id, "North Korea has supplied rockets and missiles to Russia", ["Russia", "North Korea"], ["weapons"],
        new Article("Bench Wire", "https://example.org/plain", "Bench", new DateTimeOffset(2024, 2, 20, 0, 0, 0, TimeSpan.Zero)), "bench");

    private static StatementRecorded Statement(Guid id, int n) => new(
        id, new Source($"Source {n % 97}", "spokesperson", n % 2 == 0 ? "Russia" : "North Korea"), Stances[n % Stances.Length],
        "On the record.", new DateTimeOffset(2024, 2, 20, 0, 0, 0, TimeSpan.Zero).AddMinutes(n % 100_000), null, "bench");

    private static readonly string[] Stances = ["confirms", "denies", "declines_to_comment", "asserts"];

    /// <param name="Version">the stream's version after the run: one more than the successful appends, or the check let a race through</param>
    public sealed record Contended(double Rate, int Appended, int Refused, long Version);

    // the service's claim events as it stores them (ClaimsTracker/Claims/ClaimEvents.cs); the stance is its snake_case name
    public sealed record Article(string Outlet, string? Url, string? Headline, DateTimeOffset PublishedAt);

    public sealed record Source(string Name, string? Role, string? Party);

    public sealed record ClaimRegistered(
        Guid ClaimId, string Statement, string[] Parties, string[] Topics, Article FirstReport, string RecordedBy);

    public sealed record StatementRecorded(
        Guid ClaimId, Source Source, string Stance, string? Quote, DateTimeOffset StatedAt, Article? ReportedIn, string RecordedBy);
}
