using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>The latest events across every claim, newest first, following new writes live.</summary>
public static class ActivityEndpoint
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
        return PageResult.Of<ActivityPage>(new { Shown, Rows = rows });
    }
}
