using System.Runtime.CompilerServices;
using ClaimsTracker.Claims;
using ClaimsTracker.Parties;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ClaimsTracker.Audit;

public static partial class ImportEndpoint
{
    // COPY skips the inline projections, so they are applied in memory and stored before the one commit: no reader sees a claim without its summary
    private static async Task<ProblemDetails?> Write(IDocumentStore store, List<ImportedEvent> events, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await TakeEmptyStore(connection, transaction, store.Options.Events.DatabaseSchemaName, ct) is { } refused)
        {
            return refused;
        }

        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var stored = events.Select(e => Stored(session, e)).ToList();
            var streams = stored.GroupBy(e => e.StreamId).ToList();
            Type AggregateOf(IGrouping<Guid, IEvent> stream) => stream.First().Data is PartyRegistered ? typeof(Party) : typeof(ClaimSummary);
            await BulkAppend.Events(store, connection, session.TenantId,
                streams.Select(s => new BulkEventStreamHeader { Id = s.Key, Version = s.Last().Version, AggregateType = AggregateOf(s) }).ToList(),
                stored, ct);

            // the fact rows by COPY: a session queues them one at a time, and Marten's unit of work scans its queue on each one
            await CopyFacts(store, connection, session.TenantId, streams.SelectMany(ClaimFact.Rows), ct);

            var actions = streams.Select(s => StreamAction.Start(s.Key, [.. s])).ToList();
            for (var i = 0; i < actions.Count; i++)
            {
                actions[i].AggregateType = AggregateOf(streams[i]);
            }
            foreach (var projection in InlineProjections.GetValue(store, Inline))
            {
                await projection.ApplyAsync(session, actions, ct);
            }

            await session.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return null;
    }

    private static readonly ConditionalWeakTable<IDocumentStore, IInlineProjection<IDocumentOperations>[]> InlineProjections = new();

    private static IInlineProjection<IDocumentOperations>[] Inline(IDocumentStore store) =>
        [.. ((StoreOptions)store.Options).Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Inline && p is not ClaimFactProjection)
            .Select(p => p.BuildForInline())];

    /// <summary>The rows <see cref="ClaimFactProjection"/> would leave, written by Marten's own COPY loader on the import's connection.</summary>
    private static Task CopyFacts(IDocumentStore store, NpgsqlConnection connection, string tenantId, IEnumerable<ClaimFact> rows, CancellationToken ct)
    {
        var database = store.Storage.Database;
        var provider = (Marten.Internal.Storage.MartenDocumentProvider<ClaimFact>)database.Providers.StorageFor<ClaimFact>();
        return provider.BulkLoader.LoadAsync(new Marten.Storage.Tenant(tenantId, database), ((StoreOptions)store.Options).Serializer(), connection, rows, ct);
    }

    private static IEvent Stored(IDocumentSession session, ImportedEvent source)
    {
        var e = session.Events.BuildEvent(source.Data);
        e.Id = Guid.CreateVersion7(source.RecordedAt);
        e.StreamId = source.StreamId;
        e.Version = source.Version;
        e.Timestamp = source.RecordedAt;
        e.UserName = source.Actor;
        e.CorrelationId = source.CorrelationId;
        e.CausationId = source.CausationId;
        foreach (var (name, value) in source.Headers)
        {
            e.SetHeader(name, value);
        }

        return e;
    }

    // the events table locked until the commit: an earlier write is seen, a later one waits, a second import is refused at once
    private static async Task<ProblemDetails?> TakeEmptyStore(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken ct)
    {
        try
        {
            await using var exclusive = new NpgsqlCommand($"lock table {schema}.mt_events in exclusive mode nowait", connection, transaction);
            await exclusive.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return Busy;
        }

        await using var any = new NpgsqlCommand($"select exists (select 1 from {schema}.mt_events)", connection, transaction);
        return await any.ExecuteScalarAsync(ct) is true ? NotEmpty : null;
    }
}
