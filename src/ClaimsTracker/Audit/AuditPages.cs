using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

/// <summary>The auditor's pages: stepping through a claim event by event, and the public corrections log.</summary>
public static class AuditPages
{
    private const int CorrectionsShown = 200;

    [ClaimSizedRead]

    [WolverineGet("/claims/{claimId}/replay")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Replay(string claimId, string? step, IQuerySession session, CancellationToken ct)
    {
        if (!Guid.TryParse(claimId, out var id) || await ClaimStream.Length(session, id, ct) is not { } length)
        {
            return PageResult.Of<NotFoundPage>(new { Title = "Claim not found", Explanation = $"No claim has the id “{claimId}”." },
                StatusCodes.Status404NotFound);
        }

        var count = (int)Math.Min(length, int.MaxValue);
        var number = int.TryParse(step, out var n) ? Math.Clamp(n, 1, count) : 1;
        var current = (await ClaimReplayEndpoint.Page(session, id, new Paging(number, 1), length, ct))[0];
        return PageResult.Of<Dashboard.Components.ReplayPage>(new { Id = id, Number = number, Count = count, Step = current });
    }

    [WolverineGet("/corrections")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Corrections(IQuerySession session, CancellationToken ct)
    {
        var corrections = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName == "claim_corrected")
            .OrderByDescending(e => e.Sequence).Take(CorrectionsShown).ToListAsync(ct);
        var claims = corrections.Count == 0
            ? new Dictionary<Guid, ClaimSummary>()
            : (await session.LoadManyAsync<ClaimSummary>(ct, corrections.Select(e => e.StreamId).Distinct())).ToDictionary(s => s.Id);
        return PageResult.Of<CorrectionsPage>(new { Corrections = corrections, Claims = claims });
    }
}
