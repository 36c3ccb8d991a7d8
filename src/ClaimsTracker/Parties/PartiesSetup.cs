using ClaimsTracker.Infrastructure;
using JasperFx.Events.Projections;
using Marten;

namespace ClaimsTracker.Parties;

public static class PartiesSetup
{
    public static IServiceCollection AddParties(this IServiceCollection services)
    {
        services.AddSingleton<PartyNames>();
        services.ConfigureMarten(opts =>
        {
            // stored names are a contract, as the claim events' are
            opts.Events.MapEventType<PartyRegistered>("party_registered");
            opts.Events.MapEventType<PartyAliasAdded>("party_alias_added");
            opts.Projections.Snapshot<Party>(SnapshotLifecycle.Inline, ClaimsStore.Rebuilds);
            opts.Projections.Add<PartyNamesProjection>(ProjectionLifecycle.Inline, ClaimsStore.Rebuilds);
            opts.Schema.For<PartyWriteRecord>();
        });
        return services;
    }
}
