using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

public sealed record HistoryItem(
    long Version, long Sequence, string Type, DateTimeOffset RecordedAt, DateTimeOffset? WorldAt, string? Actor,
    string? CorrelationId, string? CausationId, string? IdempotencyKey, object Data)
{
    public static HistoryItem Of(IEvent e) => new(e.Version, e.Sequence, e.EventTypeName, e.Timestamp, WorldTime.OfEvent(e.Data),
        e.UserName, e.CorrelationId, e.CausationId,
        e.Headers?.TryGetValue("idempotencyKey", out var key) == true ? key?.ToString() : null, e.Data);

    /// <summary>The event's leaf in the public log; null until the sequencer has integrated it.</summary>
    public long? LeafIndex { get; init; }
}

public sealed record HistoryPage(IReadOnlyList<HistoryItem> Items, long Total, int Page, int PageSize);

public static class ClaimHistoryEndpoint
{
    [WolverineGet("/api/claims/{claimId}/history", OperationId = "GetClaimHistory")]
    [Tags("Audit")]
    [EndpointSummary("Every event of the claim, with both times and who recorded it")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid claimId, [FromQuery] PageQuery paging, IQuerySession session, LogReader log, CancellationToken ct)
    {
        if (paging.Check(500) is { Status: not null } invalid)
        {
            return invalid.ToResult();
        }

        if (await ClaimStream.Length(session, claimId, ct) is not { } length)
        {
            return ClaimProblems.UnknownClaim(claimId).ToResult();
        }

        var page = paging.Paging(100);
        var (first, last) = page.Positions;
        var events = await ClaimStream.Versions(session, claimId, first, Math.Min(last, length), ct);
        var leaves = await log.LeafIndexes(session.Connection, events.Select(e => e.Sequence).ToArray(), ct);
        return Results.Ok(new HistoryPage(
            events.Select(e => HistoryItem.Of(e) with { LeafIndex = leaves.TryGetValue(e.Sequence, out var leaf) ? leaf : null }).ToList(),
            length, page.Number, page.Size));
    }
}
