using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record WithdrawVerdict([Required] string? Reason, long? ExpectedVersion) : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => WithdrawVerdictEndpoint.Decide(claim, this, context);
}

public static class WithdrawVerdictEndpoint
{
    public static ProblemDetails Validate(WithdrawVerdict command) => new Validation()
        .Text("reason", command?.Reason, 4000)
        .Version("expectedVersion", command?.ExpectedVersion)
        .Result();

    [WolverinePost("/api/claims/{claimId}/verdicts/withdrawal", OperationId = "WithdrawVerdict")]
    [Tags("Claims")]
    [EndpointSummary("Withdraw the verdict in force: the status is derived from the parties' words again from now on")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, WithdrawVerdict command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, WithdrawVerdict command, DecisionContext context) => claim.VerdictInForce
        ? Decision.Append(new VerdictWithdrawn(claim.Id, command.Reason!.Trim(), context.Now, context.Actor.Name))
        : Decision.Refuse("claimId", "the claim has no verdict in force to withdraw; give one first with POST /api/claims/{id}/verdicts");
}
