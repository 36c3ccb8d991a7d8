using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

public sealed record ImportedEvent(
    int Line, Guid StreamId, long Version, object Data, DateTimeOffset RecordedAt, string? Actor, string? CorrelationId,
    string? CausationId, Dictionary<string, object> Headers);

public sealed record ImportReport(int Events, int Claims);

/// <summary>Reads an NDJSON export into an empty store in one transaction, in its order, so projections and the log's leaves come out as they were.</summary>
public static partial class ImportEndpoint
{
    private const int MaxErrors = 50;

    [WolverinePost("/api/admin/import", OperationId = "ImportLog")]
    [Tags("Audit")]
    [EndpointSummary("Import an NDJSON export into an empty store, all or nothing")]
    [Authorize(Policy = Policies.Administer)]
    [ProducesResponseType<ImportReport>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status409Conflict)]
    public static async Task<IResult> Post(HttpRequest request, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        await using (var query = store.QuerySession())
        {
            if (await query.Events.QueryAllRawEvents().AnyAsync(ct))
            {
                return NotEmpty.ToResult();
            }
        }

        using var reader = new StreamReader(request.Body);
        var (events, errors) = Parse(await reader.ReadToEndAsync(ct), store.Options.Events.AllKnownEventTypes()
            .ToDictionary(t => t.EventTypeName, t => t.EventType), clock);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value.ToArray())).ToResult();
        }

        if (events.Count == 0)
        {
            return Problems.Invalid("body", "has no events: send the lines of an NDJSON export").ToResult();
        }

        return await Write(store, events, ct) is { } refused
            ? refused.ToResult()
            : Results.Ok(new ImportReport(events.Count, events.Count(e => e.Data is ClaimRegistered)));
    }

    private static ProblemDetails NotEmpty => new()
    {
        Status = StatusCodes.Status409Conflict, Title = "The store is not empty",
        Detail = "An import goes only into a store without events, so that nothing is mixed or renumbered. Nothing was imported.",
    };

    private static ProblemDetails Busy => new()
    {
        Status = StatusCodes.Status409Conflict, Title = "The store is taken by another import or write",
        Detail = "Another import is running, or a write is committing. Nothing was imported; an import goes only into an " +
                 "empty store, so check that it is still empty before sending the file again.",
    };
}
