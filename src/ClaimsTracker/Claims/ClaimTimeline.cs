using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

/// <summary>The claim's status over world time, kept by the async daemon.</summary>
public sealed class ClaimTimeline
{
    private ClaimFacts _facts = ClaimFacts.Start([], default);
    private IReadOnlyList<StatusInterval>? _intervals;

    public Guid Id { get; set; }

    public ClaimFacts Facts
    {
        get => _facts;
        set => (_facts, _intervals) = (value, null);
    }

    /// <summary>
    /// Derived from <see cref="Facts"/> when first read after they changed: a rebuild folding a claim's events one by
    /// one derives it once, when the document is stored, instead of after every event.
    /// </summary>
    public IReadOnlyList<StatusInterval> Intervals
    {
        get => _intervals ??= ConfirmationStatus.Timeline(_facts);
        set => _intervals = value;
    }

    public long Version { get; set; }
}

public sealed partial class ClaimTimelineProjection : SingleStreamProjection<ClaimTimeline, Guid>
{
    public override ClaimTimeline? Evolve(ClaimTimeline? timeline, Guid id, IEvent e)
    {
        if (e.Data is ClaimRegistered registered)
        {
            timeline = new ClaimTimeline
            {
                Id = registered.ClaimId, Facts = ClaimFacts.Start(registered.Parties, registered.FirstReport.PublishedAt),
            };
        }

        if (timeline is null)
        {
            return null;
        }

        timeline.Facts = timeline.Facts.Then(e.Version, e.Data);
        timeline.Version = e.Version;
        return timeline;
    }
}

public sealed record TimelineView(
    Guid Id, long Version, IReadOnlyList<StatusInterval> Intervals, DateTimeOffset? AsOf = null, DateTimeOffset? WorldAt = null)
{
    /// <summary>The intervals that had begun by world time <paramref name="worldAt"/>, the last one left open.</summary>
    public TimelineView Until(DateTimeOffset? worldAt) => worldAt is not { } t
        ? this
        : this with
        {
            WorldAt = t,
            Intervals = Intervals.Where(i => i.From <= t).Select(i => i.To is { } to && to > t ? i with { To = null } : i).ToList(),
        };
}

public static class ClaimTimelineEndpoint
{
    [ClaimSizedRead]
    [WolverineGet("/api/claims/{claimId}/timeline", OperationId = "GetClaimTimeline")]
    [Tags("Claims")]
    [EndpointSummary("The claim's status over world time, as known now or as recorded at asOf, up to worldAt")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<TimelineView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid claimId, [FromQuery] TimeQuery time, IQuerySession session, CancellationToken ct)
    {
        if (time.Check() is { Status: not null } invalid)
        {
            return invalid.ToResult();
        }

        if (time.RecordedAt() is { } asOf)
        {
            return await Audit.SummaryAsOf.Find(session, claimId, asOf, ct) is { } then
                ? Results.Ok(new TimelineView(then.Id, then.Version,
                    ConfirmationStatus.Timeline(await Audit.SummaryAsOf.Facts(session, then, asOf, ct)), asOf).Until(time.World()))
                : Problems.UnknownClaim(claimId).ToResult();
        }

        var batch = session.CreateBatchQuery();
        var timeline = batch.Load<ClaimTimeline>(claimId);
        var summary = batch.Load<ClaimSummary>(claimId);
        await batch.Execute(ct);
        return (await timeline, await summary) switch
        {
            (_, null) => Problems.UnknownClaim(claimId).ToResult(),
            ({ } kept, { } now) when kept.Version >= now.Version => Results.Ok(new TimelineView(kept.Id, kept.Version, kept.Intervals).Until(time.World())),
            // the daemon has not caught up with the latest write yet: derive from the facts kept with every write instead
            (_, { } now) => Results.Ok(new TimelineView(now.Id, now.Version,
                ConfirmationStatus.Timeline(await Audit.SummaryAsOf.Facts(session, now, null, ct))).Until(time.World())),
        };
    }
}
