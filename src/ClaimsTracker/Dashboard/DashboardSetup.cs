using System.Text.Encodings.Web;
using System.Text.Unicode;
using ClaimsTracker.Subscriptions;
using Marten;

namespace ClaimsTracker.Dashboard;

public static class DashboardSetup
{
    /// <summary>
    /// The live feed behind the pages, the daemon watch, the projection rebuilds the ops page starts, and the webhooks
    /// that carry the same status changes to subscribers outside.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        // the pages are Razor components rendered on the server, statically: no circuit, no interactivity
        services.AddRazorComponents();
        // recorded text stays readable in the page source: only markup-significant characters are escaped
        services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        var feed = new LiveFeed();
        services.AddSingleton(feed);
        services.AddSingleton<ProjectionRebuilds>();
        services.AddSingleton<PublicLogWatch>();
        services.AddHostedService<DaemonProgressRelay>();
        services.AddHostedService<ProjectionLagGauges>();
        services.ConfigureMarten(opts => opts.Listeners.Add(new ClaimChangesListener(feed)));
        // the same changes, for subscribers outside the dashboard
        services.AddWebhooks();
        return services;
    }
}
