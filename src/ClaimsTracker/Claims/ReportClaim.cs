using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record ReportClaim(string? Outlet, string? Url, string? Headline, DateTimeOffset? PublishedAt, long? ExpectedVersion);

public static class ReportClaimEndpoint
{
    public static ProblemDetails Validate(ReportClaim command, TimeProvider clock)
    {
        var validation = new Validation();

        // the report's body is the article itself, so its fields are named without a prefix
        ArticleInput.Check(validation, "", command is null ? null : Article(command), clock.GetUtcNow(), required: true);
        return validation.Version("expectedVersion", command?.ExpectedVersion).Result();
    }

    [WolverinePost("/api/claims/{claimId}/reports", OperationId = "ReportClaim")]
    [Tags("Claims")]
    [EndpointSummary("Record a further article that repeats the claim")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(
        Guid claimId, ReportClaim command, HttpContext http, IDocumentStore store, TimeProvider clock) =>
        WriteOutcomeHttp.Append(http, store, clock, claimId, command, command.ExpectedVersion, Decide);

    public static Decision Decide(Claim claim, ReportClaim command, DecisionContext context) =>
        claim.Retracted
            ? Guards.RetractedRefusal
            : Decision.Append(new ClaimReported(claim.Id, Article(command).ToArticle(), context.Actor.Name));

    private static ArticleInput Article(ReportClaim command) =>
        new(command.Outlet, command.Url, command.Headline, command.PublishedAt);
}
