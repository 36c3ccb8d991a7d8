using JasperFx;
using JasperFx.Events;
using Weasel.Core;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Wolverine.Marten;

namespace ClaimsTracker.Infrastructure;

public static class ClaimsStore
{
    public const string Schema = "claims";

    public static IServiceCollection AddClaimsStore(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Claims")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Claims (env ConnectionStrings__Claims) to a PostgreSQL connection string.");

        var cluster = ClusterMode.From(configuration);
        services.AddSingleton(cluster);
        services.AddSingleton<LocalDaemon>();

        var hardened = DatabaseConnection.Harden(connectionString, configuration);
        var hosts = DatabaseConnection.IsMultiHost(hardened) ? new NpgsqlDataSourceBuilder(hardened).BuildMultiHost() : null;
        if (hosts is not null && DatabaseConnection.ReadsFromReplicas(configuration))
        {
            services.AddSingleton(new ReplicaReads(hosts.WithTargetSession(DatabaseConnection.ReadsFrom(configuration))));
        }

        // Database:ApplySchemaOnStart (default true): see DatabaseSchema
        var applySchema = DatabaseSchema.AppliedOnStart(configuration);
        var marten = services.AddMarten(opts =>
            {
                if (hosts is not null)
                {
                    // Npgsql multi-host: Marten, the daemon's event reads included, stays on the primary; HTTP reads take a standby (ReplicaReads)
                    opts.Connection(hosts);
                    opts.Advanced.MultiHostSettings.WriteSessionPreference = TargetSessionAttributes.Primary;
                    opts.Advanced.MultiHostSettings.ReadSessionPreference = TargetSessionAttributes.Primary;
                }
                else
                {
                    opts.Connection(hardened);
                }

                opts.ConfigurePolly(DatabaseConnection.Retries);
                opts.DatabaseSchemaName = Schema;
                // enums are written as snake_case words by our converter, so stored events read like the API
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsInteger, Casing.CamelCase, Json.Configure);

                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;
                opts.Projections.RebuildWithBulkCopy = true;
                // the daemon's poll interval is what projections lag a write by (P3); not LISTEN/NOTIFY, whose lock doubled write latency (docs/costs.md)
                opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(50);
                opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(250);
                // a duplicated enum column (the claim summary's status) holds a name, not a number
                opts.Advanced.DuplicatedFieldEnumStorage = EnumStorage.AsString;
                if (!applySchema)
                {
                    DatabaseSchema.LeaveToSetup(opts);
                }
            })
            .UseLightweightSessions();
        if (applySchema)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }
        else
        {
            // registered before the projection daemon: a missing schema stops the start here, with its remedy
            services.AddHostedService<DatabaseSchema.RequireAtStart>();
        }

        // before the projection daemon: it reads each composite's position when it starts
        services.AddHostedService<CompositeUpgrade>();
        if (cluster.Enabled)
        {
            // Wolverine's leader assigns async projections to nodes; Marten's own coordination must stay off (Wolverine refuses both)
            marten.IntegrateWithWolverine(wolverine => wolverine.UseWolverineManagedEventSubscriptionDistribution = true);
        }
        else
        {
            marten.AddAsyncDaemon(DaemonMode.Solo).IntegrateWithWolverine();
        }

        return services;
    }

    /// <summary>A projection tuned as <see cref="Rebuilds"/>, for a composite's members.</summary>
    public static T Rebuilt<T>(T projection) where T : ProjectionBase
    {
        Rebuilds(projection.Options);
        return projection;
    }

    /// <summary>Rebuild settings measured in ops/bench (P4): larger event pages, documents kept in memory and written by COPY once per flush window.</summary>
    public static void Rebuilds(AsyncOptions options)
    {
        options.BatchSize = 2_000;
        options.RebuildFlushThreshold = 5_000;
    }
}
