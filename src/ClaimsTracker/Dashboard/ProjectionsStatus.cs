using ClaimsTracker.Infrastructure;
using ClaimsTracker.Subscriptions;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace ClaimsTracker.Dashboard;

/// <summary>One async projection against the event store: where it is, how far behind, and what went wrong.</summary>
public sealed record ProjectionProgress(
    string Name, string Kind, long Position, long LagEvents, double LagSeconds, string AgentStatus, string? LastError, Rebuild? Rebuild);

/// <summary>What the projections are doing, as the ops page and GET /api/admin/projections show it.</summary>
public sealed record ProjectionsStatus(
    long LatestEvent, long HighWaterMark, DateTimeOffset? HighWaterPolledAt, bool DaemonRunning, bool AnyPaused,
    IReadOnlyList<ProjectionProgress> Projections, IReadOnlyList<string> Inline, DateTimeOffset ReadAt)
{
    public const string InlineNote = "updated in the transaction of every write, never behind";

    public static async Task<ProjectionsStatus> Read(
        IDocumentStore store, IProjectionCoordinator coordinator, ProjectionRebuilds rebuilds, TimeProvider clock, CancellationToken ct)
    {
        var daemon = coordinator.DaemonForMainDatabase();
        var progress = (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(s => s.ShardName, StringComparer.Ordinal);
        var now = clock.GetUtcNow();

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var latest = await Scalar<long?>(connection, $"select max(seq_id) from {ClaimsStore.Schema}.mt_events", null, ct) ?? 0;

        var agents = daemon.CurrentAgents().ToDictionary(a => a.Name.Identity, StringComparer.Ordinal);
        var projections = new List<ProjectionProgress>();
        foreach (var shard in AsyncShards(store))
        {
            var position = progress.TryGetValue(shard.Identity, out var stored) ? stored.Sequence : 0;
            var lagSeconds = 0d;
            if (position < latest)
            {
                // how long the oldest event this projection has not applied yet has been waiting
                var oldest = await Scalar<DateTime?>(connection,
                    $"select timestamp from {ClaimsStore.Schema}.mt_events where seq_id > @position order by seq_id limit 1", position, ct);
                lagSeconds = oldest is { } t ? Math.Max(0, (now - new DateTimeOffset(t, TimeSpan.Zero)).TotalSeconds) : 0;
            }

            var state = daemon.Tracker.TryGetCurrentState(shard.Identity, out var current) ? current : null;
            projections.Add(new ProjectionProgress(
                shard.Name, Kind(shard.Name), position, Math.Max(0, latest - position), Math.Round(lagSeconds, 1),
                agents.TryGetValue(shard.Identity, out var agent) ? $"{agent.Status}".ToLowerInvariant() : "not running",
                state?.Exception?.Message ?? agent?.Failure?.Message ?? rebuilds.Latest(shard.Name)?.Error,
                rebuilds.Latest(shard.Name)));
        }

        var highWater = progress.TryGetValue(ShardState.HighWaterMark, out var mark) ? mark.Sequence : 0;
        return new ProjectionsStatus(latest, highWater, daemon.HighWaterLastPolledAt, daemon.IsRunning, daemon.HasAnyPaused(),
            projections, ["Claim (snapshot)", "ClaimSummary"], now);
    }

    public const string Subscription = "subscription";

    /// <summary>Every shard the daemon runs: async projections and subscriptions (Advanced lists only the projections).</summary>
    public static IReadOnlyList<ShardName> AsyncShards(IDocumentStore store) =>
        store is IEventStore<IDocumentOperations, IQuerySession> events
            ? events.AllShards().Select(s => s.Name).ToList()
            : store.Advanced.AllAsyncProjectionShardNames();

    /// <summary>Subscriptions act on the world (webhooks); replaying one from the start would act again.</summary>
    public static string Kind(string name) => name == StatusChangeRelay.Name ? Subscription : "projection";

    private static async Task<T?> Scalar<T>(NpgsqlConnection connection, string sql, long? position, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (position is { } p)
        {
            command.Parameters.AddWithValue("position", p);
        }

        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (T)value;
    }
}
