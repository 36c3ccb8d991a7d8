using ClaimsTracker.Infrastructure;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.OpenApi;

namespace ClaimsTracker.Claims;

public static class ClaimsSetup
{
    /// <summary>The composite of the async projections that only read events: the daemon shard that runs them together.</summary>
    public const string ReadModels = "ReadModels";

    public static IServiceCollection AddClaims(this IServiceCollection services)
    {
        services.AddSingleton<IConfigureMarten, ClaimsMarten>();
        services.AddSingleton<ClaimCommits>();
        services.AddHostedService(sp => sp.GetRequiredService<ClaimCommits>());
        services.Configure<OpenApiOptions>("v1", options => options.AddSchemaTransformer<WorldTimeSchema>());
        return services;
    }

    /// <summary>Another area's projection that joins the <see cref="ReadModels"/> composite, after the claim timeline.</summary>
    public static IServiceCollection AddReadModel(this IServiceCollection services, Func<IProjectionSource<IDocumentOperations, IQuerySession>> create) =>
        services.AddSingleton(new ReadModelsMember(create));

    public sealed record ReadModelsMember(Func<IProjectionSource<IDocumentOperations, IQuerySession>> Create);

    private sealed class ClaimsMarten(IEnumerable<ReadModelsMember> members) : IConfigureMarten
    {
        public void Configure(IServiceProvider services, StoreOptions opts)
        {
            MapEventNames(opts);
            opts.Projections.Add<ClaimSummaryProjection>(ProjectionLifecycle.Inline, ClaimsStore.Rebuilds);
            opts.Projections.Add<ClaimFactProjection>(ProjectionLifecycle.Inline, ClaimsStore.Rebuilds);
            // one daemon shard reads each event once for the timeline and the other areas' read models, live and in a rebuild
            opts.Projections.CompositeProjectionFor(ReadModels, composite =>
            {
                ClaimsStore.Rebuilds(composite.Options);
                composite.Add(ClaimsStore.Rebuilt(new ClaimTimelineProjection()));
                foreach (var member in members)
                {
                    composite.Add(member.Create());
                }
            });
            opts.Schema.For<ClaimSummary>().Duplicate(x => x.LastChangedAt); // an indexed column: board pages sort without unpacking JSON
            opts.Schema.For<IdempotentWrite>();
            opts.Schema.For<ClaimFact>();
            // columns, not JSON fields: finding a claim's checkpoint then never unpacks the others, each as large as the claim's summary
            opts.Schema.For<SummaryCheckpoint>().Duplicate(c => c.ClaimId).Duplicate(c => c.Version).Duplicate(c => c.RecordedAt);
            opts.Projections.Add(new SummaryCheckpointProjection(), ProjectionLifecycle.Async, "SummaryCheckpoints", ClaimsStore.Rebuilds);
        }
    }

    /// <summary>The stored event names are a contract: renaming a class must never break replay of old streams.</summary>
    private static void MapEventNames(StoreOptions opts)
    {
        opts.Events.MapEventType<ClaimRegistered>("claim_registered");
        opts.Events.MapEventType<ClaimReported>("claim_reported");
        opts.Events.MapEventType<StatementRecorded>("statement_recorded");
        opts.Events.MapEventType<EvidenceAttached>("evidence_attached");
        opts.Events.MapEventType<VerdictGiven>("verdict_given");
        opts.Events.MapEventType<ClaimCorrected>("claim_corrected");
        opts.Events.MapEventType<ClaimRetracted>("claim_retracted");
        opts.Events.MapEventType<VerdictWithdrawn>("verdict_withdrawn");
        opts.Events.MapEventType<ClaimRelated>("claim_related");
        opts.Events.MapEventType<ClaimUnrelated>("claim_unrelated");
    }
}
