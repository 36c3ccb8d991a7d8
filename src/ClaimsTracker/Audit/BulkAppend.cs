using System.Reflection;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace ClaimsTracker.Audit;

/// <summary>
/// Marten's binary COPY append of events, the one behind <see cref="IDocumentStore.BulkInsertEventStreamAsync(string, IReadOnlyList{BulkEventStreamHeader}, IAsyncEnumerable{IEvent}, BulkEventSequenceMode, int, CancellationToken)"/>,
/// run on a connection whose transaction the caller owns. The store's method opens a connection and a transaction of its
/// own, so the table lock that makes an import exclusive, and the inline projections written with the events, could not
/// share its commit; Marten keeps the appender itself internal, hence reflection, checked when the type loads.
/// </summary>
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

    /// <summary>
    /// Copies the streams' rows, then the events in the order given, each taking the next number of the event sequence
    /// (so the sequence keeps their order) and keeping its own version, time and metadata; then raises the high-water mark.
    /// </summary>
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
