using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record ReportClaim([Required] string? Outlet, string? Url, string? Headline, [Required] TimeInput? PublishedAt, long? ExpectedVersion)
    : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => ReportClaimEndpoint.Decide(claim, this, context);
}

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
    public static ClaimWrite Post(Guid claimId, ReportClaim command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, ReportClaim command, DecisionContext context) =>
        Decision.Append(new ClaimReported(claim.Id, Article(command).ToArticle(), context.Actor.Name));

    private static ArticleInput Article(ReportClaim command) =>
        new(command.Outlet, command.Url, command.Headline, command.PublishedAt);
}
