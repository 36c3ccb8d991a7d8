using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>The auditor's page stepping through a claim event by event.</summary>
public static class ReplayEndpoint
{
    [ClaimSizedRead]
    [WolverineGet("/claims/{claimId}/replay")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(string claimId, string? step, IQuerySession session, CancellationToken ct)
    {
        if (!Guid.TryParse(claimId, out var id) || await ClaimStream.Length(session, id, ct) is not { } length)
        {
            return PageResult.Of<NotFoundPage>(new { Title = "Claim not found", Explanation = $"No claim has the id “{claimId}”." },
                StatusCodes.Status404NotFound);
        }

        var count = (int)Math.Min(length, int.MaxValue);
        var number = int.TryParse(step, out var n) ? Math.Clamp(n, 1, count) : 1;
        var current = (await ClaimReplayEndpoint.Page(session, id, new Paging(number, 1), length, ct))[0];
        return PageResult.Of<Components.ReplayPage>(new { Id = id, Number = number, Count = count, Step = current });
    }
}
