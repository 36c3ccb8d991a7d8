using System.Globalization;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Sources;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using static ClaimsTracker.Dashboard.Fragments;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// Who spoke, for which party, and how often what they confirmed or denied is where the claim now stands. The source
/// profiles are an async projection, so the list follows the daemon's progress live.
/// </summary>
public static class SourcesPages
{
    [WolverineGet("/sources")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> List(IQuerySession session, CancellationToken ct)
    {
        var sources = await GetSourcesEndpoint.List(session, ct);
        return Page.Render("Sources", Html.Of($"""
            <h1>Sources</h1>
            <p>Track record: of each source's confirmations and denials, how many the claim's status now bears out (upheld),
            goes against (contradicted), or leaves open.</p>
            {Page.LiveRegion(DaemonProgressRelay.Topic, "/sources", Html.Of($"""
            {Html.When(sources.Items.Count == 0, Html.Of($"<p class=\"empty\">No statements recorded yet.</p>"))}
            {Html.When(sources.Items.Count > 0, Html.Of($"""
                <div class="table-frame">
                <table class="history sources">
                <thead><tr><th scope="col">Source</th><th scope="col">Party</th><th scope="col">Statements</th><th scope="col">Track record</th></tr></thead>
                <tbody>
                {sources.Items.Select(s => Html.Of($"""
                    <tr>
                    <td data-label="Source"><a href="/sources/{Uri.EscapeDataString(s.Id)}">{s.Name}</a>{Html.When(s.Role is not null, Html.Of($"<span class=\"version\">{s.Role}</span>"))}</td>
                    <td data-label="Party">{s.Party ?? "none (third party)"}</td>
                    <td data-label="Statements" class="number">{s.StatementCount}</td>
                    <td data-label="Track record">{Record(s.TrackRecord)}</td>
                    </tr>
                    """))}
                </tbody>
                </table>
                </div>
                """))}
            """))}
            """), Section.Sources);
    }

    [WolverineGet("/sources/{sourceId}")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(string sourceId, string? page, IQuerySession session, CancellationToken ct)
    {
        var number = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : (int?)null;
        if (page is not null && number is null)
        {
            return Page.Render("Source", Html.Of($"""
                <h1>Source</h1>
                {ErrorList(Problems.Invalid("page", "must be a whole number from 1, such as 2"))}
                """), Section.Sources, StatusCodes.Status400BadRequest);
        }

        if (await GetSourcesEndpoint.Detail(session, sourceId, number ?? 1, GetSourcesEndpoint.DefaultPageSize, ct) is not { } source)
        {
            return Page.NotFound("Source not found", Html.Of($"No source has the id “{sourceId}”; every source is listed on the sources page."));
        }

        return Page.Render(source.Name, Html.Of($"""
            <p class="kicker">Source</p>
            <h1>{source.Name}</h1>
            <p class="meta">{source.Role ?? "role not recorded"} · {source.Party ?? "no party (third party)"}</p>
            <p>Track record: {Record(source.TrackRecord)}</p>
            <h2>Statements</h2>
            <p class="meta">{source.StatementCount} in all, newest first{Html.When(source.PageCount > 1, Html.Of($"; page {source.Page} of {source.PageCount}"))}.</p>
            <ul class="statements">
            {source.Statements.Select(s => Html.Of($"""
                <li>
                <p><span class="stance-word">{Spoken(s.Stance)}</span> <a href="{ClaimPage.EventHref(s.ClaimId, s.Version)}">{s.ClaimStatement}</a> {StatusBadge(s.ClaimStatus)}</p>
                {ClaimPage.Said(s.Quote, s.QuoteKind, block: true)}
                <p class="meta">Stated {Period(s.StatedAt, s.StatedAtPrecision)}{Html.When(s.Party is not null, Html.Of($" for {s.Party}"))}.</p>
                </li>
                """))}
            </ul>
            {Pager(source)}
            """), Section.Sources);
    }

    private static Html Pager(SourceDetail source)
    {
        if (source.PageCount <= 1)
        {
            return Html.Empty;
        }

        var here = $"/sources/{Uri.EscapeDataString(source.Id)}";
        return Html.Of($"""
            <nav class="pager" aria-label="Pages">
            {Html.When(source.Page > 1, Html.Of($"<a href=\"{here}?page={source.Page - 1}\" rel=\"prev\">← Newer</a>"))}
            <span>Page {source.Page} of {source.PageCount}</span>
            {Html.When(source.Page < source.PageCount, Html.Of($"<a href=\"{here}?page={source.Page + 1}\" rel=\"next\">Older →</a>"))}
            </nav>
            """);
    }

    private static Html Record(TrackRecord r) => r.Confirmations + r.Denials == 0
        ? Html.Of($"<span class=\"meta\">no confirmations or denials</span>")
        : Html.Of($"{r.Confirmations} confirmed, {r.Denials} denied: <strong>{r.Upheld} upheld</strong>, {r.Contradicted} contradicted, {r.Open} open");
}
