using ClaimsTracker.Infrastructure;
using System.Text.Json.Serialization;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

/// <summary>The claim's status over world time, kept by the async daemon; its size follows the status changes, not the facts.</summary>
public sealed class ClaimTimeline
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    /// <summary>When the claim was first reported: where its timeline starts unless a fact's period begins earlier.</summary>
    public DateTimeOffset Since { get; set; }
    public StatusTimeline Status { get; set; } = new();

    [JsonIgnore]
    public IReadOnlyList<StatusInterval> Intervals => Status.Intervals;

    /// <summary>The shape stored when the timeline kept every fact: derived once when read, never written again.</summary>
    [JsonPropertyName("facts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClaimFacts? LegacyFacts
    {
        get => null;
        set => (Since, Status) = value is null ? (Since, Status) : (value.Since, StatusTimeline.Of(value));
    }

    public static ClaimTimeline Of(Guid id, long version, ClaimFacts facts) =>
        new() { Id = id, Version = version, Since = facts.Since, Status = StatusTimeline.Of(facts) };
}

public sealed class ClaimTimelineProjection : SingleStreamProjection<ClaimTimeline, Guid>
{
    // off Marten's single-pass composite replay: it reads to max(seq_id), past appends still in flight (DaemonStartTests)
    public override bool CanParticipateInCompositeReplay => false;

    public override async ValueTask<(ClaimTimeline?, ActionType)> DetermineActionAsync(IQuerySession session, ClaimTimeline? snapshot, Guid id,
        IIdentitySetter<ClaimTimeline, Guid> identitySetter, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        // a snapshot this projection did not write whole (no parties or no intervals) is never folded onto
        var (timeline, derive) = (snapshot, snapshot is { Status.Parties.Length: 0 } or { Status.Intervals.Count: 0 });
        foreach (var e in events)
        {
            if (e.Data is ClaimRegistered registered)
            {
                timeline = new ClaimTimeline
                {
                    Id = registered.ClaimId, Since = registered.FirstReport.PublishedAt,
                    Status = StatusTimeline.Start(registered.Parties, registered.FirstReport.PublishedAt),
                };
                derive = false;
            }

            if (timeline is not null)
            {
                derive = derive || !timeline.Status.Then(e.Version, e.Data);
                timeline.Version = e.Version;
            }
        }

        if (timeline is null)
        {
            return (null, ActionType.Nothing);
        }

        if (derive)
        {
            // derived from the claim's own events, not the fact rows, which a rebuild beside this one may be rewriting
            var facts = (await session.Events.FetchStreamAsync(id, timeline.Version, token: cancellation))
                .Aggregate((ClaimFacts?)null, (f, e) => e.Data is ClaimRegistered r ? ClaimFacts.Start(r.Parties, r.FirstReport.PublishedAt) : f?.Then(e.Version, e.Data));
            if (facts is not null)
            {
                (timeline.Id, timeline.Since, timeline.Status) = (id, facts.Since, StatusTimeline.Of(facts));
            }
        }

        return (timeline, ActionType.Store);
    }
}

public sealed record TimelineView(
    Guid Id, long Version, IReadOnlyList<StatusInterval> Intervals, DateTimeOffset? AsOf = null, DateTimeOffset? WorldAt = null)
{
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
            return await SummaryAsOf.Find(session, claimId, asOf, ct) is { } then
                ? Results.Ok(new TimelineView(then.Id, then.Version,
                    ConfirmationStatus.Timeline(await SummaryAsOf.Facts(session, then, asOf, ct)), asOf).Until(time.World()))
                : ClaimProblems.UnknownClaim(claimId).ToResult();
        }

        var batch = session.CreateBatchQuery();
        var timeline = batch.Load<ClaimTimeline>(claimId);
        var summary = batch.Load<ClaimSummary>(claimId);
        await batch.Execute(ct);
        return (await timeline, await summary) switch
        {
            (_, null) => ClaimProblems.UnknownClaim(claimId).ToResult(),
            ({ Intervals.Count: > 0 } kept, { } now) when kept.Version >= now.Version => Results.Ok(new TimelineView(kept.Id, kept.Version, kept.Intervals).Until(time.World())),
            // the daemon has not caught up with the latest write yet: derive from the facts kept with every write instead
            (_, { } now) => Results.Ok(new TimelineView(now.Id, now.Version,
                ConfirmationStatus.Timeline(await SummaryAsOf.Facts(session, now, null, ct))).Until(time.World())),
        };
    }
}
