using ClaimsTracker.Audit;
using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using static ClaimsTracker.Dashboard.Display;

namespace ClaimsTracker.Dashboard;

/// <summary>One claim: where it stands, why, how its status moved over world time, and every event behind it.</summary>
public static class ClaimEndpoint
{
    private const int EventsPerPage = 50, ChartMarks = 200, TimelineRows = 200;

    [ClaimSizedRead]

    [WolverineGet("/claims/{claimId}")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(
        string claimId, string? asOf, string? worldAt, string? events, IQuerySession session, LogReader log, CancellationToken ct)
    {
        if (!Guid.TryParse(claimId, out var id))
        {
            return Unknown(claimId);
        }

        var time = new TimeQuery(Blank(asOf), Blank(worldAt));
        if (time.Check() is { Status: not null } invalid)
        {
            return PageResult.Of<ClaimProblemPage>(new { Id = id, Problem = invalid }, StatusCodes.Status400BadRequest);
        }

        if (await ClaimStream.Length(session, id, ct) is null)
        {
            return Unknown(claimId);
        }

        var recordedAt = time.RecordedAt();
        var summary = recordedAt is { } at
            ? await SummaryAsOf.Find(session, id, at, ct)
            : await session.LoadAsync<ClaimSummary>(id, ct);
        if (summary is null && recordedAt is { } before)
        {
            var first = (await ClaimStream.Versions(session, id, 1, 1, ct))[0];
            return PageResult.Of<ClaimNotYetPage>(new { Id = id, AsOf = before, FirstRecordedAt = first.Timestamp });
        }

        if (summary is null)
        {
            return Unknown(claimId);
        }

        // every part of the page is bounded: one page of history, the latest periods and marks, the latest verdict
        var world = time.World();
        var facts = await SummaryAsOf.Facts(session, summary, recordedAt, ct);
        var claim = await ClaimView.Of(summary, recordedAt, world, facts).Related(summary.Relations, session, ct);
        var intervals = ConfirmationStatus.Timeline(facts).TakeLast(TimelineRows).ToList();
        var pages = Math.Max(1, (int)((summary.Version + EventsPerPage - 1) / EventsPerPage));
        var shownPage = int.TryParse(events, out var p) ? Math.Clamp(p, 1, pages) : pages;
        var (from, to) = new Paging(shownPage, EventsPerPage).Positions;
        var history = await ClaimStream.Versions(session, id, from, Math.Min(to, summary.Version), ct);
        var leaves = await log.LeafIndexes(session.Connection, history.Select(e => e.Sequence).ToArray(), ct);
        string Link(long version) => version >= from && version <= to ? $"#event-{version}" : EventHref(id, version);
        var charted = await ChartedEvents(session, id, summary.Version, intervals, ct);
        // a page as recorded at a past moment stays as it was; only the present follows new writes
        return PageResult.Of<ClaimDetailPage>(new
        {
            Claim = claim, AsOf = recordedAt, WorldAt = world, Charted = charted, Intervals = intervals, History = history, Leaves = leaves,
            ShownPage = shownPage, Pages = pages, Link = (Func<long, string>)Link,
        });
    }

    /// <summary>Where an event of a claim is shown: its row on the claim page's history page that holds it.</summary>
    public static string EventHref(Guid claimId, long version) =>
        $"/claims/{claimId}?events={(version + EventsPerPage - 1) / EventsPerPage}#event-{version}";

    /// <summary>The events the chart and the ruling name: the latest marked ones, the periods' causes, the latest verdict.</summary>
    private static async Task<IReadOnlyList<IEvent>> ChartedEvents(
        IQuerySession session, Guid id, long version, IReadOnlyList<StatusInterval> intervals, CancellationToken ct)
    {
        string[] marked = ["statement_recorded", "evidence_attached", "verdict_given", "claim_retracted"];
        var latest = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.Version <= version && e.EventTypeName.IsOneOf(marked))
            .OrderByDescending(e => e.Version).Take(ChartMarks).ToListAsync(ct);
        var verdict = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.Version <= version && e.EventTypeName == "verdict_given")
            .OrderByDescending(e => e.Version).Take(1).ToListAsync(ct);
        var causes = intervals.Select(i => i.BecauseOf).Except(latest.Select(e => e.Version)).ToArray();
        var more = causes.Length == 0 ? [] : await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.Version.IsOneOf(causes)).ToListAsync(ct);
        return latest.Concat(more).Concat(verdict).DistinctBy(e => e.Version).OrderBy(e => e.Version).ToList();
    }

    private static IResult Unknown(string claimId) => PageResult.Of<NotFoundPage>(new
    {
        Title = "Claim not found",
        Explanation = $"No claim has the id “{claimId}”. It may have been mistyped; every claim is listed on the board.",
    }, StatusCodes.Status404NotFound);
}
