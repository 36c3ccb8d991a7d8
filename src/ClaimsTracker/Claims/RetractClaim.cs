using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record RetractClaim(string? Reason, long? ExpectedVersion);

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
    public static Task<IResult> Post(
        Guid claimId, RetractClaim command, HttpContext http, IDocumentStore store, TimeProvider clock) =>
        WriteOutcomeHttp.Append(http, store, clock, claimId, command, command.ExpectedVersion, Decide);

    public static Decision Decide(Claim claim, RetractClaim command, DecisionContext context) =>
        claim.Retracted
            ? Guards.RetractedRefusal
            : Decision.Append(new ClaimRetracted(claim.Id, command.Reason!.Trim(), context.Now, context.Actor.Name));
}
