using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Claims;

/// <summary>A decision's outcome: the events to append, or why nothing is appended.</summary>
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

/// <summary>The rules every write to an existing claim answers to before its own decision, checked in one place.</summary>
public static class Guards
{
    public static Decision RetractedRefusal => Decision.Refuse(
        "claimId", "the claim was retracted; a retracted claim takes no further statements, evidence, reports, verdicts or retractions (corrections are still accepted)");

    /// <summary>Why <paramref name="command"/> may not be decided on <paramref name="claim"/>, or null.</summary>
    public static ProblemDetails? Check(Claim claim, IClaimCommand command) =>
        command.ExpectedVersion is { } expected && expected != claim.Version ? ClaimProblems.StaleVersion(expected, claim.Version)
        : claim.Retracted && !command.TakenWhenRetracted ? RetractedRefusal.Problem
        : null;
}
