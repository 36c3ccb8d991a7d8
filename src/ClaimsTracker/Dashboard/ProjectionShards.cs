using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// An async projection or subscription as people know it, and the daemon shard that runs it: a member of a composite
/// projection is run, and rebuilt, by its composite's shard, while Marten records the member's progress under its own name.
/// </summary>
public sealed record ProjectionShard(ShardName Shard, ShardName RunBy)
{
    public string Name => Shard.Name;

    /// <summary>Every shard the daemon runs (async projections and subscriptions), each composite as its members.</summary>
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
}
