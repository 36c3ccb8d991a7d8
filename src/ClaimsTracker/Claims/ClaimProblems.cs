using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Claims;

public static class ClaimProblems
{
    public static ProblemDetails UnknownClaim(Guid id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Unknown claim",
        Detail = $"No claim has the id {id}. List the claims with GET /api/claims.",
    };

    public static ProblemDetails StaleVersion(long expected, long actual) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "The claim has changed since you read it",
        Detail = $"expectedVersion was {expected} but the claim is at version {actual}. " +
                 "Read the claim again, check your change still holds, and resend with the new version.",
        Extensions = { ["currentVersion"] = actual },
    };
}
