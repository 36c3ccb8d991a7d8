using System.Diagnostics.Metrics;
using ClaimsTracker.Infrastructure;
using Marten;
using Npgsql;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// Each async projection's and subscription's lag behind the event store, as the projections page computes it (events
/// not applied yet, and how long the oldest of them has waited), read from the store every few seconds. Every node
/// reports the store's view, so in a cluster the nodes agree and a query takes the max over them.
/// </summary>
public sealed class ProjectionLagGauges(
    IDocumentStore store, DatabaseMonitor monitor, IConfiguration configuration, ILogger<ProjectionLagGauges> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static IReadOnlyList<Lag> _latest = [];

    private static readonly ObservableGauge<long> LagEvents = Telemetry.Meter.CreateObservableGauge(
        "claimstracker.projection.lag.events", () => _latest.Select(l => new Measurement<long>(l.Events, l.Tag)), "{event}",
        "Events the async projection has not applied yet");

    private static readonly ObservableGauge<double> LagTime = Telemetry.Meter.CreateObservableGauge(
        "claimstracker.projection.lag.time", () => _latest.Select(l => new Measurement<double>(l.Seconds, l.Tag)), "s",
        "How long the oldest event the async projection has not applied yet has waited");

    private sealed record Lag(long Events, double Seconds, KeyValuePair<string, object?> Tag);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Telemetry.Enabled(configuration))
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                _latest = monitor.Reachable ? await Read(stoppingToken) : [];
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _latest = [];
                logger.LogDebug(e, "Projection lag not read this time");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<Lag>> Read(CancellationToken ct)
    {
        var progress = (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(s => s.ShardName, s => s.Sequence, StringComparer.Ordinal);
        var shards = ProjectionShard.All(store);
        var positions = shards.Select(s => progress.GetValueOrDefault(s.Shard.Identity, progress.GetValueOrDefault(s.RunBy.Identity))).ToArray();

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // one round trip: the latest event, and for each position the time of the first event after it
        await using var command = new NpgsqlCommand($"""
            select (select max(seq_id) from {ClaimsStore.Schema}.mt_events), p.position,
                   (select e.timestamp from {ClaimsStore.Schema}.mt_events e where e.seq_id > p.position order by e.seq_id limit 1)
            from unnest(@positions) as p(position)
            """, connection);
        command.Parameters.AddWithValue("positions", positions.Distinct().ToArray());
        var latest = 0L;
        var waitingSince = new Dictionary<long, DateTime?>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                latest = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
                waitingSince[reader.GetInt64(1)] = reader.IsDBNull(2) ? null : reader.GetDateTime(2);
            }
        }

        var now = DateTime.UtcNow;
        return shards.Select((shard, i) =>
        {
            var position = positions[i];
            var seconds = position < latest && waitingSince.GetValueOrDefault(position) is { } t ? Math.Max(0, (now - t).TotalSeconds) : 0;
            return new Lag(Math.Max(0, latest - position), seconds, new("projection", shard.Name));
        }).ToList();
    }
}
