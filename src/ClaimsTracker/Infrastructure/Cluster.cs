using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Wolverine;
using Wolverine.Runtime;

namespace ClaimsTracker.Infrastructure;

/// <summary>In cluster mode Wolverine's leader assigns every async projection and the webhook relay to one live node; nothing here coordinates on its own.</summary>
public sealed record ClusterMode(bool Enabled)
{
    public static ClusterMode From(IConfiguration configuration) => new(configuration.GetValue("Cluster:Enabled", false));

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

/// <summary>This node's own projection daemon; which agents run here is Wolverine's word (<see cref="RunningHere"/>).</summary>
public sealed class LocalDaemon(IServiceProvider services, ClusterMode cluster)
{
    public const string AgentScheme = "event-subscriptions";
    private IProjectionDaemon? _daemon;

    public bool Cluster => cluster.Enabled;

    public async ValueTask<IProjectionDaemon?> TryGet()
    {
        if (!cluster.Enabled)
        {
            return services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        }

        if (_daemon is null)
        {
            // Wolverine registers its coordinator under Marten's own interface, and keeps each daemon it builds
            var daemons = await services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>().AllDaemonsAsync();
            _daemon = daemons.FirstOrDefault();
        }

        return _daemon;
    }

    public async ValueTask<IProjectionDaemon> Get() =>
        await TryGet() ?? throw new InvalidOperationException("Wolverine has not built this node's projection daemon yet");

    public IReadOnlyList<Uri> RunningHere() => cluster.Enabled
        ? services.GetRequiredService<IWolverineRuntime>().Agents.AllRunningAgentUris().Where(u => u.Scheme == AgentScheme).ToList()
        : [];

    /// <summary>Whether an agent URI (event-subscriptions://marten/main/{database}/claimtimeline/all) is the shard's.</summary>
    public static bool IsAgentFor(Uri agent, ShardName shard) =>
        agent.AbsolutePath.TrimEnd('/').EndsWith("/" + shard.RelativeUrl, StringComparison.OrdinalIgnoreCase);
}
