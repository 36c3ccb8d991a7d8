using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace ClaimsTracker.Infrastructure;

/// <summary>A projection as people know it, and the shard that runs it (a composite's member is run by its composite's).</summary>
public sealed record ProjectionShard(ShardName Shard, ShardName RunBy)
{
    public string Name => Shard.Name;

    public static IReadOnlyList<ProjectionShard> All(IDocumentStore store)
    {
        var composites = ((StoreOptions)store.Options).Projections.All.OfType<CompositeProjection>()
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        var running = store is IEventStore<IDocumentOperations, IQuerySession> events
            ? events.AllShards().Select(s => s.Name).ToList()
            : store.Advanced.AllAsyncProjectionShardNames();
        return running.SelectMany(shard => composites.TryGetValue(shard.Name, out var composite)
                ? composite.ConstituentShardNames(shard).Select(member => new ProjectionShard(member, shard))
                : [new ProjectionShard(shard, shard)])
            .ToList();
    }

    public long? PositionIn(IReadOnlyDictionary<string, ShardState> progress) =>
        progress.TryGetValue(Shard.Identity, out var own) || progress.TryGetValue(RunBy.Identity, out own) ? own.Sequence : null;

    /// <summary>False when time runs out; a composite's members each by their own progress, as its row alone can be ahead.</summary>
    public static async Task<bool> CaughtUp(IDocumentStore store, TimeSpan timeout, CancellationToken ct = default)
    {
        var shards = All(store);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var query = connection.CreateCommand();
        query.CommandText = $"select coalesce(max(seq_id), 0) from {ClaimsStore.Schema}.mt_events";
        var latest = (long)(await query.ExecuteScalarAsync(ct))!;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var progress = (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(s => s.ShardName, StringComparer.Ordinal);
            if (shards.All(s => s.PositionIn(progress) is { } at && at >= latest))
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50, ct);
        }
    }
}
