using JasperFx.Events.Daemon;
using Wolverine;

namespace ClaimsTracker.Infrastructure;

/// <summary>
/// Single node (the default) or one of several identical nodes on one PostgreSQL. In cluster mode Wolverine runs
/// in Balanced durability: the nodes register in its node tables, elect a leader with a PostgreSQL advisory lock,
/// and the leader assigns every async projection and the webhook relay to exactly one live node, moving them when
/// a node stops answering its health check. Nothing here coordinates on its own.
/// </summary>
public sealed record ClusterMode(bool Enabled)
{
    public static ClusterMode From(IConfiguration configuration) => new(configuration.GetValue("Cluster:Enabled", false));

    /// <summary>
    /// How quickly a dead node's projections move: nodes write a health check every <c>Cluster:HealthCheckSeconds</c>,
    /// and the leader reassigns the agents of a node whose last check is older than <c>Cluster:StaleNodeSeconds</c>.
    /// A node that loses the leader is replaced by the next one to take the advisory lock.
    /// </summary>
    public void Configure(WolverineOptions opts, IConfiguration configuration)
    {
        if (!Enabled)
        {
            opts.Durability.Mode = DurabilityMode.Solo;
            return;
        }

        opts.Durability.Mode = DurabilityMode.Balanced;
        opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(configuration.GetValue("Cluster:HealthCheckSeconds", 2));
        opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(configuration.GetValue("Cluster:StaleNodeSeconds", 10));
        opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(configuration.GetValue("Cluster:CheckAssignmentSeconds", 5));
    }
}

/// <summary>
/// This node's own projection daemon. A single node asks Marten's coordinator for it; in cluster mode Wolverine's
/// coordinator hands out the node-local daemon, whose agents are only the shards assigned to this node.
/// </summary>
public sealed class LocalDaemon(IProjectionCoordinator coordinator, ClusterMode cluster)
{
    public bool Cluster => cluster.Enabled;

    public async ValueTask<IProjectionDaemon> Get()
    {
        if (!cluster.Enabled)
        {
            return coordinator.DaemonForMainDatabase();
        }

        var daemons = await coordinator.AllDaemonsAsync();
        return daemons[0];
    }
}
