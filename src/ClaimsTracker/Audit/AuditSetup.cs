using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Infrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace ClaimsTracker.Audit;

public static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LogOptions>(configuration.GetSection("Audit"));
        services.ConfigureMarten(opts =>
        {
            LegacyEvents.Register(opts);
            LogTables.Register(opts);
            // columns, not JSON fields: finding a claim's checkpoint never unpacks the others
            opts.Schema.For<SummaryCheckpoint>().Duplicate(c => c.ClaimId).Duplicate(c => c.Version).Duplicate(c => c.RecordedAt);
            opts.Projections.Add(new SummaryCheckpointProjection(), ProjectionLifecycle.Async, "SummaryCheckpoints", ClaimsStore.Rebuilds);
        });
        services.AddSingleton<LogKeys>();
        services.AddSingleton<LogReader>();
        services.AddSingleton<LogStatus>();
        services.AddHostedService<LogSequencer>();
        services.AddHealthChecks().AddCheck<LogHealthCheck>("public-log", tags: [Infrastructure.Health.ReadyTag]);
        services.AddSingleton<AuditVerifier>();
        return services;
    }
}
