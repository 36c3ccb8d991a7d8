using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace ClaimsTracker.Sources;

public static class SourcesSetup
{
    public static IServiceCollection AddSources(this IServiceCollection services)
    {
        services.AddReadModel(() => ClaimsStore.Rebuilt(new SourceProfileProjection()));
        // a shard of its own: a composite's members share one batch, whose upserts turn a rebuild's COPY of these inserts into one INSERT each
        services.ConfigureMarten(opts => opts.Projections.Add(new SourceStatementProjection(), ProjectionLifecycle.Async, ClaimsStore.Rebuilds));
        return services;
    }
}
