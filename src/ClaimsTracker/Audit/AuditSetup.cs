using System.Text;
using JasperFx.Events.Projections;
using Marten;

namespace ClaimsTracker.Audit;

public static class AuditSetup
{
    /// <summary>The tamper-evident chain (sealed in each write's transaction) and the verifier.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ChainOptions>(configuration.GetSection("Audit"));
        var key = Encoding.UTF8.GetBytes(configuration["Audit:ChainKey"] is { Length: > 0 } configured
            ? configured
            : ChainOptions.DevelopmentKey);
        services.ConfigureMarten(opts =>
        {
            opts.Listeners.Add(new EventSealer(key));
            LegacyEvents.Register(opts);
            opts.Schema.For<EventSeal>().Index(s => s.StreamId).Index(s => s.Position);
            opts.Schema.For<LedgerHead>();
            // columns, not JSON fields: finding a claim's checkpoint then never unpacks the others, each as large as
            // the claim's summary (a long claim has one every 100 events)
            opts.Schema.For<SummaryCheckpoint>().Duplicate(c => c.ClaimId).Duplicate(c => c.Version).Duplicate(c => c.RecordedAt);
            opts.Projections.Add(new SummaryCheckpointProjection(), ProjectionLifecycle.Async, "SummaryCheckpoints", Infrastructure.ClaimsStore.Rebuilds);
        });
        services.AddSingleton<AuditVerifier>();
        return services;
    }
}
