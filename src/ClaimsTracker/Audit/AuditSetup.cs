using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Infrastructure;
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
