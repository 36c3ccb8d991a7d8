using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record RegisterClaim([Required] string? Statement, [Required] string[]? Parties, string[]? Topics, [Required] ArticleInput? FirstReport) : INewClaim
{
    public ClaimRegistered Decide(Guid claimId, DecisionContext context) => RegisterClaimEndpoint.Decide(claimId, this, context);
}

public static class RegisterClaimEndpoint
{
    public static ProblemDetails Validate(RegisterClaim command, TimeProvider clock)
    {
        var validation = new Validation().Text("statement", command?.Statement, 2000);
        if (command is null)
        {
            return validation.Result();
        }

        CheckParties(validation, command.Parties);
        if (command.Topics is { Length: > 20 })
        {
            validation.Error("topics", "must list at most 20 topics");
        }

        foreach (var (topic, i) in (command.Topics ?? []).Select((t, i) => (t, i)))
        {
            validation.Text($"topics[{i}]", topic, 60);
        }

        ArticleInput.Check(validation, "firstReport", command.FirstReport, clock.GetUtcNow(), required: true);
        return validation.Result();
    }

    public static void CheckParties(Validation validation, string[]? parties)
    {
        if (parties is not { Length: > 0 and <= 20 })
        {
            validation.Error("parties", "must list 1 to 20 involved parties, such as [\"Russia\", \"North Korea\"]");
        }

        foreach (var (party, i) in (parties ?? []).Select((p, i) => (p, i)))
        {
            validation.Text($"parties[{i}]", party, 100);
        }
    }

    [WolverinePost("/api/claims", OperationId = "RegisterClaim")]
    [Tags("Claims")]
    [EndpointSummary("Register a claim")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<Registered>(StatusCodes.Status201Created)]
    public static ClaimWrite Post(RegisterClaim command) => ClaimWrite.New(command);

    public static ClaimRegistered Decide(Guid claimId, RegisterClaim command, DecisionContext context) => new(
        claimId,
        command.Statement!.Trim(),
        Distinct(command.Parties!.Select(context.Parties.Canonical)),
        Distinct(command.Topics ?? []).Select(t => t.ToLowerInvariant()).ToArray(),
        command.FirstReport!.ToArticle(),
        context.Actor.Name);

    private static string[] Distinct(IEnumerable<string> names) =>
        names.Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
}
