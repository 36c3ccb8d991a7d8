using System.Text.Json;
using JasperFx.Events.Daemon;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaimsTracker.Infrastructure;

/// <summary>/health/live: the process answers; /health/ready: PostgreSQL answers and the daemon is not stalled; /health: PostgreSQL answers.</summary>
public static class Health
{
    public const string RetryAfterSeconds = "5";
    public const string ReadyTag = "ready";

    public static IServiceCollection AddClaimsHealth(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMonitor>());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("postgresql", tags: [ReadyTag])
            .AddCheck<DaemonHealthCheck>("projection-daemon", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapClaimsHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = check => check.Name == "postgresql",
            ResponseWriter = (http, report) => WritePlain(http, report),
        });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReport,
        });
        return app;
    }

    private static Task WritePlain(HttpContext http, HealthReport report)
    {
        MarkRetry(http, report);
        http.Response.ContentType = "text/plain";
        return http.Response.WriteAsync(report.Status.ToString());
    }

    private static Task WriteReport(HttpContext http, HealthReport report)
    {
        MarkRetry(http, report);
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }, Json.Options));
    }

    private static void MarkRetry(HttpContext http, HealthReport report)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (report.Status == HealthStatus.Unhealthy)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
        }
    }
}

public sealed class DatabaseHealthCheck(DatabaseMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(monitor.Healthy
            ? HealthCheckResult.Healthy("PostgreSQL answers")
            : HealthCheckResult.Unhealthy("PostgreSQL does not answer"));
}

public sealed class DaemonHealthCheck(LocalDaemon local) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // in cluster mode a node may rightly run no projection: the leader gave them all to other nodes
        if (local.Cluster && local.RunningHere().Count == 0)
        {
            return HealthCheckResult.Healthy("No projection is assigned to this node");
        }

        var daemon = await local.TryGet();
        var result = daemon is null ? HealthCheckResult.Unhealthy("The projection daemon is not built yet")
            : !daemon.IsRunning ? HealthCheckResult.Unhealthy("The projection daemon is not running")
            : daemon.HasAnyPaused() ? HealthCheckResult.Unhealthy("A projection is paused after repeated failures")
            : daemon.IsHighWaterStale ? HealthCheckResult.Unhealthy("The daemon's high-water detection has stopped polling")
            : HealthCheckResult.Healthy($"Projections running; high water last polled at {daemon.HighWaterLastPolledAt:O}");
        return result;
    }
}
