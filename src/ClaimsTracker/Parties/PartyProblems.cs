using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Parties;

public static class PartyProblems
{
    /// <summary>409, not 400: the request is well formed, it clashes with the registry as it stands.</summary>
    public static ProblemDetails Clash(IDictionary<string, string[]> errors) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "A name or alias already belongs to another party",
        Detail = "Nothing was recorded. A name or alias names one party only, case and spacing aside: see 'errors', " +
                 "then add the spelling to that party as an alias or choose another.",
        Extensions = { ["errors"] = errors },
    };

    public static ProblemDetails UnknownParty(Guid id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Unknown party",
        Detail = $"No party has the id {id}. List the parties with GET /api/parties.",
    };
}
