using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record RetractClaim([Required] string? Reason, long? ExpectedVersion) : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => RetractClaimEndpoint.Decide(claim, this, context);
}

public static class RetractClaimEndpoint
{
    public static ProblemDetails Validate(RetractClaim command) => new Validation()
        .Text("reason", command?.Reason, 4000)
        .Version("expectedVersion", command?.ExpectedVersion)
        .Result();

    [WolverinePost("/api/claims/{claimId}/retraction", OperationId = "RetractClaim")]
    [Tags("Claims")]
    [EndpointSummary("Retract the claim")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, RetractClaim command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, RetractClaim command, DecisionContext context) =>
        Decision.Append(new ClaimRetracted(claim.Id, command.Reason!.Trim(), context.Now, context.Actor.Name));
}
