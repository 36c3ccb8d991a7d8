using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

/// <summary>What one event changed: the status, a party's stance, a count, or the claim's text.</summary>
public sealed record Change(string What, string? From, string? To);

/// <summary>The claim as it stood right after one event, and what that event changed.</summary>
public sealed record ReplayStep(
    long Version, string Type, DateTimeOffset RecordedAt, DateTimeOffset? WorldAt, string? Actor, string Statement,
    ClaimStatus Status, PartyView[] Parties, ClaimCounts Counts, IReadOnlyList<Change> Changes, object Data);

public sealed record ReplayPage(Guid Id, IReadOnlyList<ReplayStep> Steps, long Total, int Page, int PageSize);

public static class ClaimReplay
{
    /// <summary>
    /// Folds <paramref name="events"/> onto <paramref name="summary"/> (the claim just before them, or null from the
    /// start) with the summary projection's own code, noting what each event changed.
    /// </summary>
    public static IReadOnlyList<ReplayStep> Steps(Guid claimId, ClaimSummary? summary, IReadOnlyList<IEvent> events) =>
        Continue(claimId, ref summary, events);

    /// <summary>As <see cref="Steps"/>, leaving <paramref name="summary"/> at the claim after the last event, for the next page.</summary>
    public static IReadOnlyList<ReplayStep> Continue(Guid claimId, ref ClaimSummary? summary, IReadOnlyList<IEvent> events)
    {
        var projection = new ClaimSummaryProjection();
        var steps = new List<ReplayStep>(events.Count);
        foreach (var e in events)
        {
            var before = summary is null ? null : Capture(summary);
            summary = projection.Evolve(summary, claimId, e);
            if (summary is null)
            {
                continue;
            }

            var after = Capture(summary);
            steps.Add(new ReplayStep(e.Version, e.EventTypeName, e.Timestamp, WorldTime.OfEvent(e.Data), e.UserName, after.Statement,
                after.Status, after.Parties, after.Counts, Changes(before, after), e.Data));
        }

        return steps;
    }

    private sealed record State(string Statement, ClaimStatus Status, PartyView[] Parties, ClaimCounts Counts);

    private static State Capture(ClaimSummary s) => new(s.Statement, s.Status,
        ClaimView.Of(s).Parties,
        Json.Copy(s.Counts));

    private static List<Change> Changes(State? before, State after)
    {
        var changes = new List<Change>();
        if (before?.Status != after.Status)
        {
            changes.Add(new("status", before is null ? null : Words.Of(before.Status), Words.Of(after.Status)));
        }

        if (before is not null && before.Statement != after.Statement)
        {
            changes.Add(new("statement", before.Statement, after.Statement));
        }

        foreach (var party in after.Parties)
        {
            var was = before?.Parties.FirstOrDefault(p => p.Party == party.Party)?.Stance;
            if (was != party.Stance)
            {
                changes.Add(new($"stance of {party.Party}", was is { } w ? Words.Of(w) : null, Words.Of(party.Stance)));
            }
        }

        var counts = JsonSerializer.SerializeToNode(after.Counts, Json.Options)!.AsObject();
        var previous = before is null ? null : JsonSerializer.SerializeToNode(before.Counts, Json.Options)!.AsObject();
        foreach (var (name, value) in counts)
        {
            var was = previous?[name]?.ToString() ?? "0";
            if (value?.ToString() != was)
            {
                changes.Add(new($"count of {name}", was, value?.ToString()));
            }
        }

        return changes;
    }
}

public static class ClaimReplayEndpoint
{
    [ClaimSizedRead]
    [WolverineGet("/api/claims/{claimId}/replay", OperationId = "ReplayClaim")]
    [Tags("Audit")]
    [EndpointSummary("The claim's state after each event, with what that event changed")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ReplayPage>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid claimId, [FromQuery] PageQuery paging, IQuerySession session, CancellationToken ct)
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
        return Results.Ok(new ReplayPage(claimId, await Page(session, claimId, page, length, ct), length, page.Number, page.Size));
    }

    /// <summary>The steps of one page: folded from the checkpoint before it, so a late page costs what an early one does.</summary>
    public static async Task<IReadOnlyList<ReplayStep>> Page(IQuerySession session, Guid claimId, Paging page, long length, CancellationToken ct)
    {
        var (first, last) = page.Positions;
        if (first > length)
        {
            return [];
        }

        var before = await ClaimStream.Before(session, claimId, first, ct);
        return ClaimReplay.Steps(claimId, before, await ClaimStream.Versions(session, claimId, first, Math.Min(last, length), ct));
    }
}
