using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record GiveVerdict(string? Verdict, string? Rationale, long? ExpectedVersion) : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => GiveVerdictEndpoint.Decide(claim, this, context);
}

public static class GiveVerdictEndpoint
{
    public static ProblemDetails Validate(GiveVerdict command) => new Validation()
        .Word<Verdict>("verdict", command?.Verdict)
        .Text("rationale", command?.Rationale, 4000)
        .Version("expectedVersion", command?.ExpectedVersion)
        .Result();

    [WolverinePost("/api/claims/{claimId}/verdicts", OperationId = "GiveVerdict")]
    [Tags("Claims")]
    [EndpointSummary("Give an editor's verdict")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, GiveVerdict command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, GiveVerdict command, DecisionContext context)
    {
        Words.TryParse<Verdict>(command.Verdict, out var verdict);
        return Decision.Append(new VerdictGiven(claim.Id, verdict, command.Rationale!.Trim(), context.Now, context.Actor.Name));
    }
}
