using Marten;
using Marten.Events.Projections;
using Npgsql;

namespace ClaimsTracker.Infrastructure;

/// <summary>Starts a composite's shard where its members had got to on their own shards, not at the first event.</summary>
public sealed class CompositeUpgrade(IDocumentStore store, ILogger<CompositeUpgrade> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var composites = ((StoreOptions)store.Options).Projections.All.OfType<CompositeProjection>().ToArray();
        if (composites.Length == 0)
        {
            return;
        }

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        foreach (var composite in composites)
        {
            await Seed(connection, composite, cancellationToken);
        }
    }

    private async Task Seed(NpgsqlConnection connection, CompositeProjection composite, CancellationToken cancellationToken)
    {
        var members = composite.ConstituentShardNames().Select(s => s.Identity).ToArray();
        await using var command = new NpgsqlCommand($"""
            select to_regclass('{ClaimsStore.Schema}.mt_event_progression') is not null
              and not exists (select 1 from {ClaimsStore.Schema}.mt_event_progression where name = $1)
            """, connection) { Parameters = { new() { Value = $"{composite.Name}:All" } } };
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return;
        }

        // the lowest member's position: a member ahead of it applies the events between again, one behind loses none
        await using var seed = new NpgsqlCommand($"""
            insert into {ClaimsStore.Schema}.mt_event_progression (name, last_seq_id)
            select $1, min(last_seq_id) from {ClaimsStore.Schema}.mt_event_progression where name = any($2) having count(*) = cardinality($2)
            on conflict (name) do nothing
            """, connection) { Parameters = { new() { Value = $"{composite.Name}:All" }, new() { Value = members } } };
        if (await seed.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            logger.LogInformation("Projections {Members} now run together as {Composite}, from their stored positions",
                string.Join(", ", members), composite.Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
