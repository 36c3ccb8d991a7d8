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

/// <summary>The moment and author of a decision; decisions never read a clock themselves.</summary>
public sealed record DecisionContext(Actor Actor, DateTimeOffset Now);
