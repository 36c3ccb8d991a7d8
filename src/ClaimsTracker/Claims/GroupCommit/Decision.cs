using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Claims;

public readonly record struct Decision(object[] Events, ProblemDetails? Problem)
{
    public static implicit operator Decision(ProblemDetails problem) => new([], problem);

    public static Decision Append(params object[] events) => new(events, null);

    public static Decision Refuse(string field, string message) => Problems.Invalid(field, message);
}

/// <summary>The moment and author of a decision, and the party registry it resolves names in; decisions never read a clock themselves.</summary>
public sealed record DecisionContext(Actor Actor, DateTimeOffset Now)
{
    public Parties.PartyDirectory Parties { get; init; } = ClaimsTracker.Parties.PartyDirectory.Empty;
}

public static class Guards
{
    public static Decision RetractedRefusal => Decision.Refuse(
        "claimId", "the claim was retracted; a retracted claim takes no further statements, evidence, reports, verdicts or retractions (corrections are still accepted)");

    public static ProblemDetails? Check(Claim claim, IClaimCommand command) =>
        command.ExpectedVersion is { } expected && expected != claim.Version ? ClaimProblems.StaleVersion(expected, claim.Version)
        : claim.Retracted && !command.TakenWhenRetracted ? RetractedRefusal.Problem
        : null;
}
