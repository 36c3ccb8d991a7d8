using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record GiveVerdict(string? Verdict, string? Rationale, long? ExpectedVersion);

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
    public static Task<IResult> Post(
        Guid claimId, GiveVerdict command, HttpContext http, IDocumentStore store, TimeProvider clock) =>
        WriteOutcomeHttp.Append(http, store, clock, claimId, command, command.ExpectedVersion, Decide);

    public static Decision Decide(Claim claim, GiveVerdict command, DecisionContext context)
    {
        if (claim.Retracted)
        {
            return Guards.RetractedRefusal;
        }

        Words.TryParse<Verdict>(command.Verdict, out var verdict);
        return Decision.Append(new VerdictGiven(claim.Id, verdict, command.Rationale!.Trim(), context.Now, context.Actor.Name));
    }
}
