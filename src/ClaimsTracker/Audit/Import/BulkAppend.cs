using System.Reflection;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace ClaimsTracker.Audit;

// Marten's COPY appender on the caller's transaction, so the import's table lock and inline projections share its commit; internal, hence reflection
internal static class BulkAppend
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Type Appender = typeof(DocumentStore).Assembly.GetType("Marten.Events.BulkEventAppender", throwOnError: true)!;

    private static readonly ConstructorInfo Create = Appender.GetConstructor(Members, [typeof(EventGraph), typeof(ISerializer)])
        ?? throw new MissingMethodException(Appender.FullName, "ctor(EventGraph, ISerializer)");

    private static readonly MethodInfo Insert = Appender.GetMethod("BulkInsertEventStreamAsync", Members,
        [typeof(NpgsqlConnection), typeof(string), typeof(IReadOnlyList<BulkEventStreamHeader>), typeof(IAsyncEnumerable<IEvent>),
         typeof(BulkEventSequenceMode), typeof(int), typeof(CancellationToken)])
        ?? throw new MissingMethodException(Appender.FullName, "BulkInsertEventStreamAsync(NpgsqlConnection, ...)");

    public static Task Events(IDocumentStore store, NpgsqlConnection connection, string tenantId,
        IReadOnlyList<BulkEventStreamHeader> streams, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var options = (StoreOptions)store.Options;
        var appender = Create.Invoke([(EventGraph)options.Events, options.Serializer()]);
        // one sequence block per COPY: the appender closes its COPY to draw each block
        return (Task)Insert.Invoke(appender,
            [connection, tenantId, streams, events.ToAsyncEnumerable(), BulkEventSequenceMode.AssignFromSequence, Math.Max(1, events.Count), ct])!;
    }
}
