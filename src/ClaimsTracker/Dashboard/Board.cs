using System.Globalization;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using static ClaimsTracker.Dashboard.Fragments;

namespace ClaimsTracker.Dashboard;

/// <summary>Every claim with its status and party stances: the same query as GET /api/claims, as a page.</summary>
public static class BoardPage
{
    [WolverineGet("/")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(
        string? status, string? party, string? topic, string? q, string? page, string? asOf, string? worldAt, IQuerySession session,
        Parties.PartyNames names, CancellationToken ct)
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
            return Page.Render("Board", Html.Of($"""
                <h1>Claims</h1>
                {Form(filter, Moments.Now)}
                {ErrorList(problems)}
                """), Section.Board, StatusCodes.Status400BadRequest);
        }

        filter = await filter.Resolved(names, session, ct);
        var moments = new Moments(time.RecordedAt(), time.World());
        if (moments != Moments.Now)
        {
            var then = await ListClaimsEndpoint.At(filter, moments.AsOf, moments.WorldAt, session, ct);
            var paging = new BoardPage<ClaimListItem>(then.Items, then.Page, then.PageSize, then.Total);
            return Page.Render("Board", Html.Of($"""
                <h1>Claims</h1>
                {Form(filter, moments)}
                <p class="as-of" role="status">Shown {(moments.AsOf is { } t ? Html.Of($"as ClaimsTracker recorded it at {Time(t)}") : Html.Of($"with everything recorded so far"))}{(moments.WorldAt is { } w ? Html.Of($", with each status as it stood in the world at {Time(w)}") : Html.Empty)}. <a href="/{Query(("status", filter.Status), ("party", filter.Party), ("topic", filter.Topic), ("q", filter.Q))}">Show it as it is now</a>.</p>
                {Listing(paging, filter, moments, then.Items.Where(i => i.DuplicateOf is not null).ToLookup(i => i.DuplicateOf!.Value))}
                """), Section.Board);
        }

        // the same listing as GET /api/claims; its rows are rendered once while the page is kept, for each spelling of
        // the filters that its links repeat
        var current = await ClaimListing.Current(session, filter, ct);
        var duplicates = await Duplicates(session, current.Items, ct);
        var rows = current.Rendered(string.Join('\u0001', "board", filter.Status, filter.Party, filter.Topic, filter.Q), listed =>
            Html.Utf8(Listing(new BoardPage<ClaimListItem>(listed.Items, filter.PageNumber, filter.Size, listed.Total), filter, Moments.Now, duplicates)));
        var here = "/" + Query(("status", filter.Status), ("party", filter.Party), ("topic", filter.Topic), ("q", filter.Q), ("page", page));
        return Page.Render("Board", Html.Of($"""
            <h1>Claims</h1>
            {Form(filter, Moments.Now)}
            {Page.LiveRegion(ClaimChangesListener.Topic, here, rows)}
            """), Section.Board);
    }

    /// <summary>The board's two clocks: as recorded at <see cref="AsOf"/>, statuses at world time <see cref="WorldAt"/>.</summary>
    private sealed record Moments(DateTimeOffset? AsOf, DateTimeOffset? WorldAt)
    {
        public static readonly Moments Now = new(null, null);
    }

    private static Html Form(ClaimFilter filter, Moments at)
    {
        var statuses = Enum.GetValues<ClaimStatus>().Select(s => Html.Of(
            $"<option value=\"{Words.Of(s)}\"{Html.When(string.Equals(Words.Of(s), filter.Status, StringComparison.OrdinalIgnoreCase), Html.Of($" selected"))}>{Spoken(s)}</option>"));
        return Html.Of($"""
            <form class="filters" method="get" action="/" role="search" aria-label="Filter claims">
            <div class="field"><label for="q">Text</label><input id="q" name="q" type="search" maxlength="200" value="{filter.Q}"></div>
            <div class="field"><label for="status">Status</label><select id="status" name="status"><option value="">any status</option>{statuses}</select></div>
            <div class="field"><label for="party">Party</label><input id="party" name="party" maxlength="100" value="{filter.Party}"></div>
            <div class="field"><label for="topic">Topic</label><input id="topic" name="topic" maxlength="60" value="{filter.Topic}"></div>
            <div class="field"><label for="asOf">As recorded at (UTC)</label><input id="asOf" name="asOf" type="datetime-local" step="1" value="{LocalInput(at.AsOf)}"></div>
            <div class="field"><label for="worldAt">Status at world time (UTC)</label><input id="worldAt" name="worldAt" type="datetime-local" step="1" value="{LocalInput(at.WorldAt)}"></div>
            <div class="actions"><button type="submit">Filter</button> <a href="/">Clear</a></div>
            </form>
            """);
    }

    /// <summary>The claims that are the same as one on the page: they change only with an append, as the kept rendering does.</summary>
    private static async Task<ILookup<Guid, ClaimListItem>> Duplicates(IQuerySession session, IReadOnlyList<ClaimListItem> items, CancellationToken ct)
    {
        var ids = items.Where(i => i.DuplicateOf is null).Select(i => (Guid?)i.Id).ToArray();
        var found = ids.Length == 0 ? [] : await session.Query<ClaimSummary>().Where(s => s.DuplicateOf.IsOneOf(ids)).ToListAsync(ct);
        return found.Select(ClaimListItem.Of).ToLookup(d => d.DuplicateOf!.Value);
    }

    private static Html Listing(BoardPage<ClaimListItem> paging, ClaimFilter filter, Moments at, ILookup<Guid, ClaimListItem> duplicates)
    {
        var items = paging.Items;
        if (items.Count == 0)
        {
            return filter.PageNumber == 1
                ? Html.Of($"""<p class="empty">No claims match. <a href="/">Show every claim</a>.</p>""")
                : Html.Of($"""<p class="empty">Nothing on page {filter.PageNumber}. {PageLink(filter, 1, "Go to the first page", "first", at)}.</p>""");
        }

        var first = (paging.PageNumber - 1) * paging.PageSize + 1;
        return Html.Of($"""
            <p class="total" id="total">Claims {first}–{first + items.Count - 1} of {paging.Total}, last changed first; a claim that is the same as another is listed under it.</p>
            <div class="table-frame">
            <table class="board" aria-describedby="total">
            <thead><tr><th scope="col">Claim</th><th scope="col">Status</th><th scope="col">Party stances</th><th scope="col">Counts</th><th scope="col">Last change</th></tr></thead>
            <tbody>
            {items.Where(i => i.DuplicateOf is null).Select(i => Row(i, duplicates[i.Id]))}
            </tbody>
            </table>
            </div>
            {Pager(paging, filter, at)}
            """);
    }

    private static Html Row(ClaimListItem claim, IEnumerable<ClaimListItem> duplicates) => Html.Of($"""
        <tr>
        <td data-label="Claim"><a class="statement" href="/claims/{claim.Id}">{claim.Statement}</a>{TopicLinks(claim.Topics)}{Duplicates(duplicates.ToList())}</td>
        <td data-label="Status">{StatusBadge(claim.Status)}</td>
        <td data-label="Party stances">{StanceMatrix(claim.Parties)}</td>
        <td data-label="Counts"><ul class="counts">
        <li><strong>{claim.Counts.Statements}</strong> {Plural(claim.Counts.Statements, "statement", "statements")}</li>
        <li><strong>{claim.Counts.Evidence}</strong> evidence</li>
        <li><strong>{claim.Counts.ThirdPartyAssertions}</strong> third-party {Plural(claim.Counts.ThirdPartyAssertions, "assertion", "assertions")}</li>
        </ul></td>
        <td data-label="Last change">{Time(claim.LastChangedAt)}<span class="version">version {claim.Version}</span></td>
        </tr>
        """);

    private static Html Duplicates(List<ClaimListItem> duplicates) => Html.When(duplicates.Count > 0, Html.Of($"""
        <ul class="duplicates" aria-label="The same claim, recorded again">{duplicates.Select(d => Html.Of($"<li><a href=\"/claims/{d.Id}\">{d.Statement}</a> {StatusBadge(d.Status)}</li>"))}</ul>
        """));

    private static string Plural(int count, string one, string many) => count == 1 ? one : many;

    private static Html Pager(BoardPage<ClaimListItem> paging, ClaimFilter filter, Moments at)
    {
        if (paging.PageCount <= 1)
        {
            return Html.Empty;
        }

        return Html.Of($"""
            <nav class="pager" aria-label="Pages">
            {Html.When(paging.PageNumber > 1, PageLink(filter, paging.PageNumber - 1, "← Previous", "prev", at))}
            <span>Page {paging.PageNumber} of {paging.PageCount}</span>
            {Html.When(paging.PageNumber < paging.PageCount, PageLink(filter, paging.PageNumber + 1, "Next →", "next", at))}
            </nav>
            """);
    }

    private static Html PageLink(ClaimFilter filter, long number, string label, string rel, Moments at)
    {
        var query = Query(("status", filter.Status), ("party", filter.Party), ("topic", filter.Topic), ("q", filter.Q),
            ("asOf", at.AsOf is { } t ? Iso(t) : null), ("worldAt", at.WorldAt is { } w ? Iso(w) : null), ("page", number.ToString(CultureInfo.InvariantCulture)));
        return Html.Of($"<a href=\"/{query}\" rel=\"{rel}\">{label}</a>");
    }
}
