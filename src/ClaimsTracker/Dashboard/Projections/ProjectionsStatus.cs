using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Subscriptions;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;

namespace ClaimsTracker.Dashboard;

/// <summary>One async projection against the event store: where it is, how far behind, and what went wrong.</summary>
/// <remarks>
/// <see cref="AgentStatus"/> is this node's own view (is the agent running here); <see cref="Node"/> is the node the
/// cluster's leader assigned it to (the number in Wolverine's node table), or this node when it runs alone (every
/// async projection is this node's then, running or not). <see cref="RunBy"/> names the composite projection whose
/// shard runs and rebuilds it with the composite's other members; null when it runs on its own.
/// </remarks>
public sealed record ProjectionProgress(
    string Name, string Kind, long Position, long LagEvents, double LagSeconds, string AgentStatus, string? LastError, Rebuild? Rebuild,
    int? Node = null, string? RunBy = null);

/// <summary>A service node sharing the database, as Wolverine's node table lists it.</summary>
public sealed record ClusterNode(int Number, Guid Id, string Description, DateTimeOffset LastHealthCheck, bool Leader, bool ThisNode);

/// <summary>What the projections are doing, as the ops page and GET /api/admin/projections show it.</summary>
public sealed record ProjectionsStatus(
    long LatestEvent, long HighWaterMark, DateTimeOffset? HighWaterPolledAt, bool DaemonRunning, bool AnyPaused,
    IReadOnlyList<ProjectionProgress> Projections, IReadOnlyList<string> Inline, DateTimeOffset ReadAt,
    bool Cluster = false, int ThisNode = 0, IReadOnlyList<ClusterNode>? Nodes = null, PublicLogProgress? Log = null)
{
    public const string InlineNote = "updated in the transaction of every write, never behind";

    public static async Task<ProjectionsStatus> Read(
        IDocumentStore store, LocalDaemon local, IWolverineRuntime runtime, ProjectionRebuilds rebuilds, PublicLogWatch log, TimeProvider clock,
        CancellationToken ct)
    {
        var daemon = await local.TryGet();
        var thisNode = runtime.Options.Durability.AssignedNodeNumber;
        var progress = (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(s => s.ShardName, StringComparer.Ordinal);
        var now = clock.GetUtcNow();

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var latest = await Scalar<long?>(connection, $"select max(seq_id) from {ClaimsStore.Schema}.mt_events", null, ct) ?? 0;

        var agents = daemon?.CurrentAgents().ToDictionary(a => a.Name.Identity, StringComparer.Ordinal) ?? [];
        var runningHere = local.RunningHere();
        var (nodes, assigned) = local.Cluster ? await Assignments(connection, runtime.Options.UniqueNodeId, ct) : ([], []);
        var projections = new List<ProjectionProgress>();
        foreach (var projection in ProjectionShard.All(store))
        {
            var (shard, runBy) = projection;
            var position = projection.PositionIn(progress) ?? 0;
            var lagSeconds = 0d;
            if (position < latest)
            {
                // how long the oldest event this projection has not applied yet has been waiting
                var oldest = await Scalar<DateTime?>(connection,
                    $"select timestamp from {ClaimsStore.Schema}.mt_events where seq_id > @position order by seq_id limit 1", position, ct);
                lagSeconds = oldest is { } t ? Math.Max(0, (now - new DateTimeOffset(t, TimeSpan.Zero)).TotalSeconds) : 0;
            }

            var state = daemon is not null && daemon.Tracker.TryGetCurrentState(runBy.Identity, out var current) ? current : null;
            var agentStatus = agents.TryGetValue(runBy.Identity, out var agent) ? $"{agent.Status}".ToLowerInvariant() : "not running";
            if (local.Cluster)
            {
                // Wolverine's own list decides: the daemon may keep a stopped agent's entry after the leader moved it
                agentStatus = runningHere.Any(u => LocalDaemon.IsAgentFor(u, runBy)) ? agent is null ? "running" : agentStatus : "not running";
            }

            projections.Add(new ProjectionProgress(
                shard.Name, Kind(shard.Name), position, Math.Max(0, latest - position), Math.Round(lagSeconds, 1),
                agentStatus,
                state?.Exception?.Message ?? agent?.Failure?.Message ?? rebuilds.Latest(shard.Name)?.Error,
                rebuilds.Latest(shard.Name),
                local.Cluster ? AssignedNode(assigned, runBy) : thisNode, runBy == shard ? null : runBy.Name));
        }

        var highWater = progress.TryGetValue(ShardState.HighWaterMark, out var mark) ? mark.Sequence : 0;
        return new ProjectionsStatus(latest, highWater, daemon?.HighWaterLastPolledAt, daemon?.IsRunning ?? false, daemon?.HasAnyPaused() ?? false,
            projections, ProjectionRebuilds.Inline, now, local.Cluster, thisNode, nodes, await log.Read(connection, latest, ct));
    }

    /// <summary>
    /// The cluster as Wolverine's leader has laid it out: the live nodes and which node each agent is assigned to
    /// (agent URIs such as event-subscriptions://marten/main/…/claimtimeline/all, and wolverine://leader).
    /// </summary>
    private static async Task<(List<ClusterNode> Nodes, Dictionary<string, int> Assigned)> Assignments(
        NpgsqlConnection connection, Guid thisNode, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            select n.node_number, n.id, coalesce(n.description, ''), n.health_check,
                   exists(select 1 from {ClaimsStore.Schema}.wolverine_node_assignments l where l.node_id = n.id and l.id = 'wolverine://leader/')
            from {ClaimsStore.Schema}.wolverine_nodes n order by n.node_number;
            select a.id, n.node_number from {ClaimsStore.Schema}.wolverine_node_assignments a
            join {ClaimsStore.Schema}.wolverine_nodes n on n.id = a.node_id;
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var nodes = new List<ClusterNode>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(1);
            nodes.Add(new ClusterNode(reader.GetInt32(0), id, reader.GetString(2),
                new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero), reader.GetBoolean(4), id == thisNode));
        }

        await reader.NextResultAsync(ct);
        var assigned = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(ct))
        {
            assigned[reader.GetString(0)] = reader.GetInt32(1);
        }

        return (nodes, assigned);
    }

    private static int? AssignedNode(Dictionary<string, int> assigned, ShardName shard) =>
        assigned.Where(a => a.Key.StartsWith(LocalDaemon.AgentScheme, StringComparison.Ordinal) && LocalDaemon.IsAgentFor(new Uri(a.Key), shard))
            .Select(a => (int?)a.Value).FirstOrDefault();

    public const string Subscription = "subscription";

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

/// <summary>
/// The public log as the projections page shows it: the head stored in the database (so every node shows it), and the
/// integration delays, which only the node running the sequencer measures.
/// </summary>
/// <param name="Sequencer"><see cref="ThisNode"/>, <see cref="AnotherNode"/> or <see cref="NoNode"/>.</param>
/// <param name="EventsBehind">Stored events the log has not integrated yet (sequence numbers, so a rolled-back write counts until passed).</param>
public sealed record PublicLogProgress(
    long TreeSize, long EventsBehind, string? Checkpoint, DateTimeOffset? SignedAt, string SignedBy, bool DevelopmentKey, string Sequencer,
    double? DelayP50Ms, double? DelayP99Ms, int DelaysMeasured, double MaxIntegrationDelayMs)
{
    public const string ThisNode = "this_node", AnotherNode = "another_node", NoNode = "none";

    /// <summary>The nearest-rank percentile, in milliseconds; null with no measurement.</summary>
    public static double? Percentile(IReadOnlyList<TimeSpan> delays, double fraction)
    {
        if (delays.Count == 0)
        {
            return null;
        }

        var sorted = delays.Order().ToList();
        return Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)].TotalMilliseconds, 1);
    }
}

/// <summary>Reads <see cref="PublicLogProgress"/> from the log's stored head and this node's sequencer.</summary>
public sealed class PublicLogWatch(LogReader log, LogStatus status, LogKeys keys, IOptions<LogOptions> options)
{
    public async Task<PublicLogProgress> Read(NpgsqlConnection connection, long latestEvent, CancellationToken ct)
    {
        var head = await log.Head(connection, ct);
        var sequencer = status.IsLeader ? PublicLogProgress.ThisNode
            : await SomeNodeLeads(connection, ct) ? PublicLogProgress.AnotherNode : PublicLogProgress.NoNode;
        var delays = status.IsLeader ? status.RecentDelays : [];
        var signedBy = keys.Published.Last(k => k.FromTreeSize <= head.Size).VerifierKey;
        return new PublicLogProgress(head.Size, Math.Max(0, latestEvent - head.LastSequence), head.Checkpoint, head.SignedAt, signedBy, keys.IsDevelopment, sequencer,
            PublicLogProgress.Percentile(delays, 0.50), PublicLogProgress.Percentile(delays, 0.99), delays.Count,
            options.Value.MaxIntegrationDelay.TotalMilliseconds);
    }

    /// <summary>Whether some node holds the sequencer's advisory lock (a bigint key shows in pg_locks as two oids).</summary>
    private static async Task<bool> SomeNodeLeads(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select exists (select 1 from pg_locks where locktype = 'advisory' and granted and objsubid = 1
              and database = (select oid from pg_database where datname = current_database())
              and classid = ($1 >> 32)::oid and objid = ($1 & 4294967295)::oid)
            """, connection) { Parameters = { new() { Value = LogSequencer.LeaderLock } } };
        return await command.ExecuteScalarAsync(ct) is true;
    }
}
