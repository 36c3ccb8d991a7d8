using Marten;

namespace ClaimsTracker.Dashboard;

public static class DashboardSetup
{
    /// <summary>The live feed behind the pages, the daemon watch and the projection rebuilds the ops page starts.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        var feed = new LiveFeed();
        services.AddSingleton(feed);
        services.AddSingleton<ProjectionRebuilds>();
        services.AddHostedService<DaemonProgressRelay>();
        services.ConfigureMarten(opts => opts.Listeners.Add(new ClaimChangesListener(feed)));
        return services;
    }
}
