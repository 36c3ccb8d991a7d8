using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>The public corrections log: every correction recorded, newest first.</summary>
public static class CorrectionsEndpoint
{
    private const int Shown = 200;

    [WolverineGet("/corrections")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(IQuerySession session, CancellationToken ct)
    {
        var corrections = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName == "claim_corrected")
            .OrderByDescending(e => e.Sequence).Take(Shown).ToListAsync(ct);
        var claims = corrections.Count == 0
            ? new Dictionary<Guid, ClaimSummary>()
            : (await session.LoadManyAsync<ClaimSummary>(ct, corrections.Select(e => e.StreamId).Distinct())).ToDictionary(s => s.Id);
        return PageResult.Of<CorrectionsPage>(new { Corrections = corrections, Claims = claims });
    }
}
