using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record UnrelateClaim(Guid OtherClaimId, long? ExpectedVersion) : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => UnrelateClaimEndpoint.Decide(claim, this, context);
}

public static class UnrelateClaimEndpoint
{
    [WolverineDelete("/api/claims/{claimId}/relations/{otherId}", OperationId = "UnrelateClaim")]
    [Tags("Claims")]
    [EndpointSummary("Remove the claim's relation to another claim")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Delete(Guid claimId, Guid otherId) => ClaimWrite.To(claimId, new UnrelateClaim(otherId, null));

    public static Decision Decide(Claim claim, UnrelateClaim command, DecisionContext context) =>
        claim.Relations.Any(r => r.ClaimId == command.OtherClaimId)
            ? Decision.Append(new ClaimUnrelated(claim.Id, command.OtherClaimId, context.Now, context.Actor.Name))
            : new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "No such relation",
                Detail = $"Claim {claim.Id} is not related to claim {command.OtherClaimId}. Its relations are listed in GET /api/claims/{claim.Id}.",
            };
}
