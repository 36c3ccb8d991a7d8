using ClaimsTracker.Claims;
using ClaimsTracker.Sources;
using JasperFx;
using JasperFx.Events;
using Weasel.Core;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine.Marten;

namespace ClaimsTracker.Infrastructure;

public static class ClaimsStore
{
    public const string Schema = "claims";

    public static IServiceCollection AddClaimsStore(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Claims")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Claims (env ConnectionStrings__Claims) to a PostgreSQL connection string.");

        services.AddMarten(opts =>
            {
                opts.Connection(DatabaseConnection.Harden(connectionString, configuration));
                opts.ConfigurePolly(DatabaseConnection.Retries);
                opts.DatabaseSchemaName = Schema;
                // enums are written as snake_case words by our converter, so stored events read like the API
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsInteger, Casing.CamelCase, Json.Configure);

                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;
                MapEventNames(opts);

                opts.Projections.Snapshot<Claim>(SnapshotLifecycle.Inline);
                opts.Projections.Add<ClaimSummaryProjection>(ProjectionLifecycle.Inline);
                opts.Projections.Add<ClaimTimelineProjection>(ProjectionLifecycle.Async);
                opts.Projections.Add<SourceProfileProjection>(ProjectionLifecycle.Async);
                // The async daemon looks for new events every 50 ms while writes flow and every 100 ms when idle
                // (defaults 250 ms and 1 s), so the timeline and sources follow a write within a fraction of a second.
                // Not LISTEN/NOTIFY (UseListenNotifyForEventAppends): a NOTIFY in each write's transaction takes
                // PostgreSQL's database-wide notify lock through the commit, a second store-wide queue for writes.
                opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
                opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(100);

                opts.Schema.For<ClaimSummary>().Duplicate(x => x.LastChangedAt); // an indexed column: board pages sort without unpacking JSON
                opts.Schema.For<IdempotentWrite>();
            })
            .UseLightweightSessions()
            .AddAsyncDaemon(DaemonMode.Solo)
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();

        return services;
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
    }
}
