using System.Globalization;
using ClaimsTracker.Audit;
using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using static ClaimsTracker.Dashboard.Fragments;

namespace ClaimsTracker.Dashboard;

/// <summary>One claim: where it stands, why, how its status moved over world time, and every event behind it.</summary>
public static class ClaimPage
{
    private const int EventsPerPage = 50, ChartMarks = 200, TimelineRows = 200;
    private const string LogVerifyScript = "/logverify.js";

    [ClaimSizedRead]

    [WolverineGet("/claims/{claimId}")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(
        string claimId, string? asOf, string? worldAt, string? events, IQuerySession session, LogReader log, CancellationToken ct)
    {
        if (!Guid.TryParse(claimId, out var id))
        {
            return Unknown(claimId);
        }

        var time = new TimeQuery(Blank(asOf), Blank(worldAt));
        if (time.Check() is { Status: not null } invalid)
        {
            return Page.Render("Claim", Html.Of($"""
                <h1>Claim</h1>
                {AsOfForm(id, null, null)}
                {ErrorList(invalid)}
                """), status: StatusCodes.Status400BadRequest);
        }

        if (await ClaimStream.Length(session, id, ct) is null)
        {
            return Unknown(claimId);
        }

        var recordedAt = time.RecordedAt();
        var summary = recordedAt is { } at
            ? await SummaryAsOf.Find(session, id, at, ct)
            : await session.LoadAsync<ClaimSummary>(id, ct);
        if (summary is null && recordedAt is { } before)
        {
            var first = (await ClaimStream.Versions(session, id, 1, 1, ct))[0];
            return Page.Render("Claim", Html.Of($"""
                <h1>Nothing recorded yet</h1>
                {AsOfForm(id, before, null)}
                <p>At {Time(before)} nothing about this claim had been recorded: it was first recorded at {Time(first.Timestamp)}.</p>
                """));
        }

        if (summary is null)
        {
            return Unknown(claimId);
        }

        // every part of the page is bounded: one page of history, the latest periods and marks, the latest verdict
        var world = time.World();
        var facts = await SummaryAsOf.Facts(session, summary, recordedAt, ct);
        var claim = await ClaimView.Of(summary, recordedAt, world, facts).Related(summary.Relations, session, ct);
        var intervals = ConfirmationStatus.Timeline(facts).TakeLast(TimelineRows).ToList();
        var pages = Math.Max(1, (int)((summary.Version + EventsPerPage - 1) / EventsPerPage));
        var shownPage = int.TryParse(events, out var p) ? Math.Clamp(p, 1, pages) : pages;
        var (from, to) = new Paging(shownPage, EventsPerPage).Positions;
        var history = await ClaimStream.Versions(session, id, from, Math.Min(to, summary.Version), ct);
        var leaves = await log.LeafIndexes(session.Connection, history.Select(e => e.Sequence).ToArray(), ct);
        string Link(long version) => version >= from && version <= to ? $"#event-{version}" : EventHref(id, version);
        var charted = await ChartedEvents(session, id, summary.Version, intervals, ct);
        var content = Html.Of($"""
            {Heading(claim)}
            {Ruling(claim, charted)}
            <div class="columns">
            {FirstReport(claim.FirstReport)}
            {Counts(claim)}
            </div>
            {Parties(claim, Link)}
            {Related(claim)}
            {Timeline(intervals, charted, Link)}
            {History(id, history, leaves, shownPage, pages, recordedAt, world)}
            """);
        // a page as recorded at a past moment stays as it was; only the present follows new writes
        return Page.Render(claim.Statement, Html.Of($"""
            {AsOfForm(id, recordedAt, world)}
            {(recordedAt is null && world is null ? Page.LiveRegion(ClaimChangesListener.Topic, $"/claims/{id}", content, id) : content)}
            """), scripts: [LogVerifyScript]);
    }

    /// <summary>Where an event of a claim is shown: its row on the claim page's history page that holds it.</summary>
    public static string EventHref(Guid claimId, long version) =>
        $"/claims/{claimId}?events={(version + EventsPerPage - 1) / EventsPerPage}#event-{version}";

    /// <summary>The events the chart and the ruling name: the latest marked ones, the periods' causes, the latest verdict.</summary>
    private static async Task<IReadOnlyList<IEvent>> ChartedEvents(
        IQuerySession session, Guid id, long version, IReadOnlyList<StatusInterval> intervals, CancellationToken ct)
    {
        string[] marked = ["statement_recorded", "evidence_attached", "verdict_given", "claim_retracted"];
        var latest = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.Version <= version && e.EventTypeName.IsOneOf(marked))
            .OrderByDescending(e => e.Version).Take(ChartMarks).ToListAsync(ct);
        var verdict = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.Version <= version && e.EventTypeName == "verdict_given")
            .OrderByDescending(e => e.Version).Take(1).ToListAsync(ct);
        var causes = intervals.Select(i => i.BecauseOf).Except(latest.Select(e => e.Version)).ToArray();
        var more = causes.Length == 0 ? [] : await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.Version.IsOneOf(causes)).ToListAsync(ct);
        return latest.Concat(more).Concat(verdict).DistinctBy(e => e.Version).OrderBy(e => e.Version).ToList();
    }

    private static IResult Unknown(string claimId) => Page.NotFound("Claim not found", Html.Of(
        $"No claim has the id “{claimId}”. It may have been mistyped; every claim is listed on the board."));

    private static Html Heading(ClaimView claim) => Html.Of($"""
        <p class="kicker">Claim · version {claim.Version}</p>
        <h1 class="statement">{claim.Statement}</h1>
        <p class="status-line">Status {StatusBadge(claim.Status)}</p>
        {TopicLinks(claim.Topics)}
        <p class="meta">Registered by {claim.RegisteredBy} at {Time(claim.RegisteredAt)}; last changed {Time(claim.LastChangedAt)}.</p>
        """);

    /// <summary>The two clocks: what ClaimsTracker showed at a recorded moment, and the status at a moment in the world.</summary>
    private static Html AsOfForm(Guid id, DateTimeOffset? asOf, DateTimeOffset? worldAt)
    {
        var recorded = asOf is { } t ? Html.Of($"as ClaimsTracker recorded it at {Time(t)}") : Html.Of($"with everything recorded so far");
        var banner = asOf is not null || worldAt is not null
            ? Html.Of($"""<p class="as-of" role="status">Shown {recorded}{(worldAt is { } w ? Html.Of($"; status and stances as they stood in the world at {Time(w)}") : Html.Empty)}. <a href="/claims/{id}">Show it as it is now</a>.</p>""")
            : Html.Empty;
        return Html.Of($"""
            {banner}
            <form class="as-of-form" method="get" action="/claims/{id}">
            <label for="asOf">Show as recorded at (UTC)</label>
            <input id="asOf" name="asOf" type="datetime-local" step="1" value="{LocalInput(asOf)}">
            <label for="worldAt">Status at world time (UTC)</label>
            <input id="worldAt" name="worldAt" type="datetime-local" step="1" value="{LocalInput(worldAt)}">
            <button type="submit">Show</button>
            </form>
            <p class="meta"><a href="/claims/{id}/replay">Step through every event</a> · <a href="/corrections">Corrections log</a></p>
            """);
    }

    private static Html Ruling(ClaimView claim, IEnumerable<IEvent> recorded)
    {
        var retraction = claim.RetractionReason is { } reason
            ? Html.Of($"<div class=\"notice\"><h2>Retracted by the newsroom</h2><p>{reason}</p></div>")
            : Html.Empty;
        var verdict = recorded.Select(e => e.Data).LastOrDefault(e => e is VerdictGiven or VerdictWithdrawn) is VerdictGiven given
            ? Html.Of($"<div class=\"notice\"><h2>Editor's verdict: {Spoken(given.Verdict)}</h2><p>{given.Rationale}</p>{Rated(given)}<p class=\"meta\">Given by {given.RecordedBy} at {Time(given.GivenAt)}.</p></div>")
            : Html.Empty;
        return Html.Of($"{retraction}{verdict}");
    }

    /// <summary>The reviewer's own rating and name, as ClaimReview carries them.</summary>
    private static Html Rated(VerdictGiven given) => given.Rating is null && given.ReviewedBy is null
        ? Html.Empty
        : Html.Of($"<p>Rated \u201c{given.Rating?.Name ?? Spoken(given.Verdict)}\u201d{(given.ReviewedBy is { } reviewer ? Html.Of($" by {ExternalLink(reviewer.Url, reviewer.Name)}") : Html.Empty)}.</p>");

    private static Html FirstReport(Article article) => Html.Of($"""
        <section aria-labelledby="first-report">
        <h2 id="first-report">First reported</h2>
        <dl class="facts">
        <dt>Outlet</dt><dd>{article.Outlet}</dd>
        {Html.When(article.Headline is not null, Html.Of($"<dt>Headline</dt><dd>{article.Headline}</dd>"))}
        {Html.When(!string.IsNullOrWhiteSpace(article.Url), Html.Of($"<dt>Link</dt><dd class=\"url\">{ExternalLink(article.Url, article.Url ?? "")}</dd>"))}
        <dt>Published</dt><dd>{Time(article.PublishedAt)}</dd>
        </dl>
        </section>
        """);

    private static Html Counts(ClaimView claim)
    {
        var c = claim.Counts;
        return Html.Of($"""
            <section aria-labelledby="counts">
            <h2 id="counts">Counts</h2>
            <dl class="facts">
            <dt>Statements</dt><dd>{c.Statements} ({c.PartyStatements} by involved parties)</dd>
            <dt>Third-party assertions</dt><dd>{c.ThirdPartyAssertions}</dd>
            <dt>Evidence</dt><dd>{c.Evidence} ({c.SupportingEvidence} supporting, {c.RefutingEvidence} refuting)</dd>
            <dt>Further reports</dt><dd>{c.Reports}</dd>
            <dt>Verdicts</dt><dd>{c.Verdicts}</dd>
            <dt>Corrections</dt><dd>{c.Corrections}</dd>
            </dl>
            </section>
            """);
    }

    private static Html Parties(ClaimView claim, Func<long, string> link) => Html.Of($"""
        <section aria-labelledby="parties">
        <h2 id="parties">Parties</h2>
        <table class="parties">
        <thead><tr><th scope="col">Party</th><th scope="col">Stance</th><th scope="col">Because of</th></tr></thead>
        <tbody>
        {claim.Parties.Select(p => Html.Of($"""
            <tr>
            <th scope="row" data-label="Party">{p.Party}</th>
            <td data-label="Stance">{StanceMark(p.Stance)}{Html.When(p.NotConfirmedAt is not null, Html.Of($"<br><span class=\"meta not-confirmed\">reported not confirmed {Time(p.NotConfirmedAt, "")}</span>"))}</td>
            <td data-label="Because of">{Because(p, link)}</td>
            </tr>
            """))}
        </tbody>
        </table>
        </section>
        """);

    private static Html Because(PartyView party, Func<long, string> link) => party.BecauseOf is not { } version
        ? Html.Of($"<span class=\"meta\">No confirmation or denial by a source of {party.Party} yet.</span>")
        : Html.Of($"""
            <p><strong>{party.Source}</strong>, {(party.StatedAt is { } at ? Period(at, party.StatedAtPrecision) : Html.Of($"time unknown"))} (<a href="{link(version)}">version {version}</a>)</p>
            {Said(party.Quote, party.QuoteKind, block: true)}
            """);

    /// <summary>A direct quotation in quotation marks; a paraphrase without them, labelled, so no one quotes it as said.</summary>
    public static Html Said(string? quote, QuoteKind? kind, bool block = false) =>
        string.IsNullOrWhiteSpace(quote) ? Html.Empty
        : kind == QuoteKind.Paraphrase ? Html.Of($"<span class=\"paraphrase\"><span class=\"label\">paraphrase</span> {quote}</span>")
        : block ? Html.Of($"<blockquote>{quote}</blockquote>")
        : Html.Of($"<q>{quote}</q>");

    /// <summary>The claims this one names, as they read now, and whether its premises hold.</summary>
    private static Html Related(ClaimView claim) => Html.When(claim.Relations is { Length: > 0 }, Html.Of($"""
        <section aria-labelledby="related" class="related">
        <h2 id="related">Related claims</h2>
        {Html.When(claim.Premise is not null, Html.Of($"<p class=\"premise\" data-premise=\"{(claim.Premise is { } p ? Words.Of(p) : "")}\">Premise {PremiseWords(claim.Premise)}</p>"))}
        <ul class="relations">
        {(claim.Relations ?? []).Select(r => Html.Of($"""
            <li data-kind="{Words.Of(r.Kind)}"><span class="kind">{Spoken(r.Kind)}</span> <a href="/claims/{r.ClaimId}">{r.Statement}</a> {StatusBadge(r.Status)}</li>
            """))}
        </ul>
        </section>
        """));

    private static string PremiseWords(Premise? premise) => premise switch
    {
        Premise.Holds => "holds: every claim this one depends on is confirmed",
        Premise.Fails => "fails: a claim this one depends on is refuted, denied or retracted",
        _ => "open: a claim this one depends on is not yet confirmed",
    };

    private static Html Timeline(IReadOnlyList<StatusInterval> intervals, IReadOnlyList<IEvent> events, Func<long, string> link) => Html.Of($"""
        <section aria-labelledby="timeline">
        <h2 id="timeline">Status over world time</h2>
        {StatusChart.Render(intervals, events, link)}
        <table class="timeline">
        <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Status</th><th scope="col">Because of</th></tr></thead>
        <tbody>
        {intervals.Select(i => Html.Of($"""
            <tr>
            <td data-label="From">{(i.UncertainFrom is { } since ? Html.Of($"<span class=\"uncertain\">between {Time(since)} and</span> {Time(i.From)}") : Time(i.From))}</td>
            <td data-label="To">{Time(i.To, "now")}</td>
            <td data-label="Status">{StatusBadge(i.Status)}</td>
            <td data-label="Because of"><a href="{link(i.BecauseOf)}">version {i.BecauseOf}</a></td>
            </tr>
            """))}
        </tbody>
        </table>
        </section>
        """);

    private static Html History(
        Guid id, IReadOnlyList<IEvent> events, IReadOnlyDictionary<long, long> leaves, int page, int pages, DateTimeOffset? asOf, DateTimeOffset? worldAt)
    {
        Html Link(int target, string label, string rel) => target < 1 || target > pages || target == page
            ? Html.Of($"<span>{label}</span>")
            : Html.Of($"""<a rel="{rel}" href="/claims/{id}{Query(("asOf", asOf is { } a ? Iso(a) : null), ("worldAt", worldAt is { } w ? Iso(w) : null), ("events", target.ToString(CultureInfo.InvariantCulture)))}#history">{label}</a>""");
        var pager = pages == 1 ? Html.Empty : Html.Of($"""
            <nav class="pager" aria-label="Event pages">{Link(1, "First", "first")} {Link(page - 1, "Earlier", "prev")} <span>page {page} of {pages}</span> {Link(page + 1, "Later", "next")} {Link(pages, "Latest", "last")}</nav>
            """);
        return Html.Of($"""
        <section aria-labelledby="history">
        <h2 id="history">Event history</h2>
        <p class="meta">Every event is a leaf of the <a href="/log/checkpoint">public log</a>. “Verify” checks in your browser, with the log's public key alone, that the latest signed checkpoint holds the event as it is stored now; compare the key it names with the one the newsroom publishes.</p>
        {pager}
        <table class="history">
        <thead><tr><th scope="col">Version</th><th scope="col">Event</th><th scope="col">Recorded</th><th scope="col">World time</th><th scope="col">Actor</th><th scope="col">Public log</th><th scope="col">Replay</th></tr></thead>
        <tbody>
        {events.Select(e => (Item: HistoryItem.Of(e), Leaf: leaves.TryGetValue(e.Sequence, out var leaf) ? leaf : (long?)null)).Select(row => Html.Of($"""
            <tr id="event-{row.Item.Version}">
            <td data-label="Version" class="number">{row.Item.Version}</td>
            <td data-label="Event"><code>{row.Item.Type}</code><div>{Describe(row.Item.Data)}</div></td>
            <td data-label="Recorded">{Time(row.Item.RecordedAt)}</td>
            <td data-label="World time">{Time(row.Item.WorldAt, "—")}</td>
            <td data-label="Actor">{row.Item.Actor ?? "unknown"}</td>
            <td data-label="Public log" class="log-leaf">{LogLeaf(id, row.Item.Version, row.Leaf)}</td>
            <td data-label="Replay" class="replay"><a href="/claims/{id}{Query(("asOf", Iso(row.Item.RecordedAt)))}">as recorded then</a></td>
            </tr>
            """))}
        </tbody>
        </table>
        </section>
        """);
    }

    /// <summary>
    /// The event's leaf, and the control that checks it in the reader's browser (wwwroot/logverify.js). An event not yet
    /// integrated gets the control too: the log takes it in within a second, and the script looks its leaf up then.
    /// </summary>
    private static Html LogLeaf(Guid id, long version, long? leaf) => Html.Of($"""
        {(leaf is { } index
            ? Html.Of($"<span data-leaf=\"{index}\">leaf {index}</span>")
            : Html.Of($"<span class=\"meta\" data-leaf=\"\">not yet in the log</span>"))}
        <button type="button" class="verify" data-verify-leaf="{leaf}" data-claim="{id}" data-version="{version}" aria-label="Verify version {version} in your browser" aria-describedby="verified-{version}">Verify</button>
        <span class="verified" id="verified-{version}" data-verified="" role="status"></span>
        """);

    public static Html Describe(object data) => data switch
    {
        ClaimRegistered e => Html.Of($"Registered; first reported by {e.FirstReport.Outlet}."),
        ClaimReported e => Html.Of($"Reported again by {ExternalLink(e.Article.Url, e.Article.Outlet)}."),
        StatementRecorded e => Html.Of($"""
            {e.Source.Name}{Html.When(e.Source.Role is not null, Html.Of($", {e.Source.Role}"))} ({e.Source.Party ?? "no party"}): {Spoken(e.Stance)}.
            {Said(e.Quote, e.QuoteKind)}
            """),
        EvidenceAttached e => Html.Of($"{e.Kind} that {Spoken(e.Bearing)} the claim: {ExternalLink(e.Url, e.Description)}"),
        VerdictGiven e => Html.Of($"Verdict {Spoken(e.Verdict)}: {e.Rationale}"),
        ClaimCorrected e => Html.Of($"Correction{Html.When(e.CorrectsVersion is not null, Html.Of($" of version {e.CorrectsVersion}"))}: {e.Reason}"),
        ClaimRetracted e => Html.Of($"Retracted: {e.Reason}"),
        VerdictWithdrawn e => Html.Of($"Verdict withdrawn: {e.Reason}"),
        ClaimRelated e => Html.Of($"Related: {Spoken(e.Kind)} <a href=\"/claims/{e.OtherClaimId}\">claim {e.OtherClaimId}</a>{Html.When(e.Note is not null, Html.Of($" ({e.Note})"))}."),
        ClaimUnrelated e => Html.Of($"No longer related to <a href=\"/claims/{e.OtherClaimId}\">claim {e.OtherClaimId}</a>."),
        _ => Html.Empty,
    };
}
