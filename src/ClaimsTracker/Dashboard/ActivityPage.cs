using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using static ClaimsTracker.Dashboard.Fragments;

namespace ClaimsTracker.Dashboard;

/// <summary>The latest events across every claim, newest first, following new writes live.</summary>
public static class ActivityPage
{
    private const int Shown = 50;

    [WolverineGet("/activity")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(IQuerySession session, CancellationToken ct)
    {
        // the event sequence is the primary key: the newest fifty are an index walk whatever the store's size
        // party events (rare) are the registry's, listed on /parties, not claims' activity
        var events = await session.Events.QueryAllRawEvents().Where(e => !e.EventTypeName.StartsWith("party_"))
            .OrderByDescending(e => e.Sequence).Take(Shown).ToListAsync(ct);
        var claims = (await session.LoadManyAsync<ClaimSummary>(ct, events.Select(e => e.StreamId).Distinct().ToArray()))
            .ToDictionary(c => c.Id);
        var rows = events.Select(e => (Item: HistoryItem.Of(e), Claim: claims.GetValueOrDefault(e.StreamId), e.StreamId));
        return Page.Render("Activity", Html.Of($"""
            <h1>Activity</h1>
            <p>The latest {Shown} events recorded across all claims, newest first.</p>
            {Page.LiveRegion(ClaimChangesListener.Topic, "/activity", Html.Of($"""
                <div class="table-frame">
                <table class="history activity">
                <thead><tr><th scope="col">Recorded</th><th scope="col">Claim</th><th scope="col">Event</th><th scope="col">World time</th><th scope="col">Actor</th></tr></thead>
                <tbody>
                {rows.Select(r => Html.Of($"""
                    <tr>
                    <td data-label="Recorded">{Time(r.Item.RecordedAt)}</td>
                    <td data-label="Claim"><a href="{ClaimPage.EventHref(r.StreamId, r.Item.Version)}">{r.Claim?.Statement ?? "(unknown claim)"}</a>{Html.When(r.Claim is not null, Html.Of($" {StatusBadge(r.Claim!.Status)}"))}</td>
                    <td data-label="Event"><code>{r.Item.Type}</code> <span class="version">version {r.Item.Version}</span><div>{ClaimPage.Describe(r.Item.Data)}</div></td>
                    <td data-label="World time">{Time(r.Item.WorldAt, "—")}</td>
                    <td data-label="Actor">{r.Item.Actor ?? "unknown"}</td>
                    </tr>
                    """))}
                </tbody>
                </table>
                </div>
                """))}
            """), Section.Activity);
    }
}
