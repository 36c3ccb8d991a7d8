using System.Text.Encodings.Web;
using System.Text.Unicode;
using Marten;

namespace ClaimsTracker.Dashboard;

public static class DashboardSetup
{
    /// <summary>The live feed behind the pages, the daemon watch, and the projection rebuilds the ops page starts.</summary>
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
        return services;
    }
}
