using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

/// <summary>Either new claim text, or a statement (by version) with a corrected stance, world time or quote.</summary>
public sealed record CorrectClaim(
    string? Reason, string? Statement, long? CorrectsVersion, string? Stance, DateTimeOffset? StatedAt, string? Quote,
    long? ExpectedVersion);

public static class CorrectClaimEndpoint
{
    public static ProblemDetails Validate(CorrectClaim command, TimeProvider clock)
    {
        var validation = new Validation().Text("reason", command?.Reason, 4000);
        if (command is null)
        {
            return validation.Result();
        }

        validation.Text("statement", command.Statement, 2000, required: false)
            .Version("correctsVersion", command.CorrectsVersion)
            .Version("expectedVersion", command.ExpectedVersion)
            .Text("quote", command.Quote, 4000, required: false)
            .Time("statedAt", command.StatedAt, clock.GetUtcNow(), required: false);
        if (command.Stance is not null)
        {
            validation.Word<Stance>("stance", command.Stance);
        }

        var correctsStatement = command.Stance is not null || command.StatedAt is not null || command.Quote is not null;
        if (command.Statement is not null && string.IsNullOrWhiteSpace(command.Statement))
        {
            validation.Error("statement", "must not be blank when given");
        }

        if (command.Statement is null && !correctsStatement)
        {
            validation.Error("statement", "give the corrected claim text, or correctsVersion with a corrected stance, statedAt or quote");
        }

        if (correctsStatement && command.CorrectsVersion is null)
        {
            validation.Error("correctsVersion", "is required to correct a statement's stance, statedAt or quote");
        }

        return validation.Result();
    }

    [WolverinePost("/api/claims/{claimId}/corrections", OperationId = "CorrectClaim")]
    [Tags("Claims")]
    [EndpointSummary("Correct the claim's text or an earlier statement")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(
        Guid claimId, CorrectClaim command, HttpContext http, IDocumentStore store, TimeProvider clock) =>
        WriteOutcomeHttp.Append(http, store, clock, claimId, command, command.ExpectedVersion, Decide);

    public static Decision Decide(Claim claim, CorrectClaim command, DecisionContext context)
    {
        var target = claim.Statements.FirstOrDefault(s => s.Version == command.CorrectsVersion);
        if (command.CorrectsVersion is { } version && target is null)
        {
            return Decision.Refuse("correctsVersion", $"version {version} of this claim is not a recorded statement");
        }

        Stance? stance = Words.TryParse<Stance>(command.Stance, out var parsed) ? parsed : null;
        return Decision.Append(new ClaimCorrected(claim.Id, command.Reason!.Trim(), command.CorrectsVersion,
            target?.SourceName, command.Statement?.Trim(), stance, command.StatedAt?.ToUniversalTime(), command.Quote?.Trim(), context.Now,
            context.Actor.Name));
    }
}
