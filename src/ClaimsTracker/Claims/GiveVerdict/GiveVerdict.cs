using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record RatingInput([Required] string? Name, decimal? Value, decimal? Best, decimal? Worst);

public sealed record ReviewerInput([Required] string? Name, string? Url);

public sealed record GiveVerdict(
    [Required, WordsOf(typeof(Verdict))] string? Verdict, [Required] string? Rationale, long? ExpectedVersion, string? Claimant = null, RatingInput? Rating = null,
    ReviewerInput? ReviewedBy = null, string[]? Citations = null) : IClaimCommand
{
    public const int MaxCitations = 50;

    public Decision Decide(Claim claim, DecisionContext context) => GiveVerdictEndpoint.Decide(claim, this, context);
}

public static class GiveVerdictEndpoint
{
    public static ProblemDetails Validate(GiveVerdict command)
    {
        var validation = new Validation()
            .Word<Verdict>("verdict", command?.Verdict)
            .Text("rationale", command?.Rationale, 4000)
            .Version("expectedVersion", command?.ExpectedVersion)
            .Text("claimant", command?.Claimant, 200, required: false);
        if (command?.Rating is { } rating)
        {
            validation.Text("rating.name", rating.Name, 200);
            if (rating is { Worst: { } worst, Best: { } best } && worst >= best)
            {
                validation.Error("rating.worst", $"must be below rating.best ({best})");
            }
            else if (rating.Value is { } value && (value < rating.Worst || value > rating.Best))
            {
                validation.Error("rating.value", $"must lie between rating.worst and rating.best ({rating.Worst?.ToString() ?? "any"} to {rating.Best?.ToString() ?? "any"})");
            }
        }

        if (command?.ReviewedBy is { } reviewer)
        {
            validation.Text("reviewedBy.name", reviewer.Name, 200).Url("reviewedBy.url", reviewer.Url);
        }

        if (command?.Citations is { Length: > GiveVerdict.MaxCitations })
        {
            validation.Error("citations", $"must list at most {GiveVerdict.MaxCitations} URLs");
        }

        foreach (var (citation, i) in (command?.Citations ?? []).Select((c, i) => (c, i)))
        {
            validation.Url($"citations[{i}]", citation, required: true);
        }

        return validation.Result();
    }

    [WolverinePost("/api/claims/{claimId}/verdicts", OperationId = "GiveVerdict")]
    [Tags("Claims")]
    [EndpointSummary("Give an editor's verdict, with ClaimReview's claimant, rating, reviewer and citations when known")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, GiveVerdict command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, GiveVerdict command, DecisionContext context)
    {
        Words.TryParse<Verdict>(command.Verdict, out var verdict);
        return Decision.Append(new VerdictGiven(claim.Id, verdict, command.Rationale!.Trim(), context.Now, context.Actor.Name,
            command.Claimant?.Trim() is { Length: > 0 } claimant ? claimant : null,
            command.Rating is { } r ? new Rating(r.Name!.Trim(), r.Value, r.Best, r.Worst) : null,
            command.ReviewedBy is { } by ? new Reviewer(by.Name!.Trim(), Blank(by.Url)) : null,
            command.Citations is { Length: > 0 } citations ? citations.Select(c => c.Trim()).Distinct().ToArray() : null));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
