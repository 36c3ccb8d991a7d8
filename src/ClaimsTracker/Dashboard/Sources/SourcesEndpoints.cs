using System.Globalization;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Sources;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// Who spoke, for which party, and how often what they confirmed or denied is where the claim now stands. The source
/// profiles are an async projection, so the list follows the daemon's progress live.
/// </summary>
public static class SourcesEndpoints
{
    [WolverineGet("/sources")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> List(IQuerySession session, CancellationToken ct)
    {
        var sources = await GetSourcesEndpoint.List(session, ct);
        return PageResult.Of<SourcesPage>(new { Sources = sources.Items });
    }

    [WolverineGet("/sources/{sourceId}")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(string sourceId, string? page, IQuerySession session, CancellationToken ct)
    {
        var number = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : (int?)null;
        if (page is not null && number is null)
        {
            return PageResult.Of<QueryProblemPage>(new
            {
                Title = "Source", Current = (Section?)Section.Sources, Problem = Problems.Invalid("page", "must be a whole number from 1, such as 2"),
            }, StatusCodes.Status400BadRequest);
        }

        if (await GetSourcesEndpoint.Detail(session, sourceId, number ?? 1, GetSourcesEndpoint.DefaultPageSize, ct) is not { } source)
        {
            return PageResult.Of<NotFoundPage>(new
            {
                Title = "Source not found", Explanation = $"No source has the id “{sourceId}”; every source is listed on the sources page.",
            }, StatusCodes.Status404NotFound);
        }

        return PageResult.Of<SourcePage>(new { Source = source });
    }
}
