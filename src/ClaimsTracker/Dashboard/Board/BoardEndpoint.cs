using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using static ClaimsTracker.Dashboard.Display;

namespace ClaimsTracker.Dashboard;

/// <summary>Every claim with its status and party stances: the same query as GET /api/claims, as a page.</summary>
public static class BoardEndpoint
{
    [WolverineGet("/")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(
        string? status, string? party, string? topic, string? q, string? page, string? asOf, string? worldAt, IQuerySession session,
        Parties.PartyNames names, HttpContext http, CancellationToken ct)
    {
        var pageNumber = int.TryParse(page, out var n) ? n : (int?)null;
        var filter = new ClaimFilter(Blank(status), Blank(party), Blank(topic), Blank(q), pageNumber, null);
        var time = new TimeQuery(Blank(asOf), Blank(worldAt));
        var problems = page is not null && pageNumber is null
            ? Problems.Invalid("page", "must be a whole number such as 2")
            : filter.Check();
        if (problems.Status is null && time.Check() is { Status: not null } badTime)
        {
            problems = badTime;
        }

        if (problems.Status is not null)
        {
            return PageResult.Of<BoardPage>(new { Filter = filter, Problem = problems }, StatusCodes.Status400BadRequest);
        }

        filter = await filter.Resolved(names, session, ct);
        var (recordedAt, world) = (time.RecordedAt(), time.World());
        if (recordedAt is not null || world is not null)
        {
            var then = await ListClaimsEndpoint.At(filter, recordedAt, world, session, ct);
            return PageResult.Of<BoardPage>(new { Filter = filter, AsOf = recordedAt, WorldAt = world, Then = then });
        }

        // the same listing as GET /api/claims; the whole page is rendered once while the listing is kept, for each
        // spelling of the query that its links repeat (nothing on it depends on who reads it)
        var current = await ClaimListing.Current(session, filter, ct);
        var here = "/" + Query(("status", filter.Status), ("party", filter.Party), ("topic", filter.Topic), ("q", filter.Q), ("page", page));
        var html = await current.Rendered(string.Join('\u0001', "board", here), async listed =>
        {
            // kept with the rendering it serves, so not cancelled with the request that happened to make it
            var duplicates = await Duplicates(session, listed.Items, CancellationToken.None);
            var rows = await ComponentHtml.Render<BoardListing>(http.RequestServices, new Dictionary<string, object?>
            {
                ["Items"] = listed.Items, ["PageNumber"] = filter.PageNumber, ["PageSize"] = filter.Size, ["Total"] = listed.Total,
                ["Filter"] = filter, ["Duplicates"] = duplicates,
            });
            var board = await ComponentHtml.Render<BoardPage>(http.RequestServices, new Dictionary<string, object?>
            {
                ["Filter"] = filter, ["Rows"] = (MarkupString?)rows, ["Here"] = here,
            });
            return System.Text.Encoding.UTF8.GetBytes(board.Value);
        });
        return PageResult.Kept(html);
    }

    /// <summary>The claims that are the same as one on the page: they change only with an append, as the kept rendering does.</summary>
    private static async Task<ILookup<Guid, ClaimListItem>> Duplicates(IQuerySession session, IReadOnlyList<ClaimListItem> items, CancellationToken ct)
    {
        var ids = items.Where(i => i.DuplicateOf is null).Select(i => (Guid?)i.Id).ToArray();
        var found = ids.Length == 0 ? [] : await session.Query<ClaimSummary>().Where(s => s.DuplicateOf.IsOneOf(ids)).ToListAsync(ct);
        return found.Select(ClaimListItem.Of).ToLookup(d => d.DuplicateOf!.Value);
    }
}
