using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using static ClaimsTracker.Dashboard.Fragments;

namespace ClaimsTracker.Audit;

/// <summary>The auditor's pages: stepping through a claim event by event, and the public corrections log.</summary>
public static class AuditPages
{
    private const int CorrectionsShown = 200;

    [ClaimSizedRead]

    [WolverineGet("/claims/{claimId}/replay")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Replay(string claimId, string? step, IQuerySession session, CancellationToken ct)
    {
        if (!Guid.TryParse(claimId, out var id) || await ClaimStream.Length(session, id, ct) is not { } length)
        {
            return Page.NotFound("Claim not found", Html.Of($"No claim has the id “{claimId}”."));
        }

        var count = (int)Math.Min(length, int.MaxValue);
        var number = int.TryParse(step, out var n) ? Math.Clamp(n, 1, count) : 1;
        var current = (await ClaimReplayEndpoint.Page(session, id, new Paging(number, 1), length, ct))[0];
        return Page.Render($"Replay, step {number}", Html.Of($"""
            <p class="kicker"><a href="/claims/{id}">Claim</a> · replay · step {number} of {count}</p>
            <h1 class="statement">{current.Statement}</h1>
            {Steps(id, number, count)}
            <section aria-labelledby="event">
            <h2 id="event">Event {current.Version}: <code>{current.Type}</code></h2>
            <dl class="facts">
            <dt>Recorded</dt><dd>{Time(current.RecordedAt)}</dd>
            <dt>World time</dt><dd>{Time(current.WorldAt, "—")}</dd>
            <dt>Recorded by</dt><dd>{current.Actor ?? "unknown"}</dd>
            </dl>
            </section>
            <section aria-labelledby="changed">
            <h2 id="changed">What it changed</h2>
            {Changes(current.Changes)}
            </section>
            <section aria-labelledby="after">
            <h2 id="after">The claim after it</h2>
            <p class="status-line">Status {StatusBadge(current.Status)}</p>
            {StanceMatrix(current.Parties)}
            </section>
            """));
    }

    [WolverineGet("/corrections")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Corrections(IQuerySession session, CancellationToken ct)
    {
        var corrections = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName == "claim_corrected")
            .OrderByDescending(e => e.Sequence).Take(CorrectionsShown).ToListAsync(ct);
        var claims = corrections.Count == 0
            ? new Dictionary<Guid, ClaimSummary>()
            : (await session.LoadManyAsync<ClaimSummary>(ct, corrections.Select(e => e.StreamId).Distinct())).ToDictionary(s => s.Id);
        var rows = corrections.Select(e => (Event: e, Data: (ClaimCorrected)e.Data)).Select(c => Html.Of($"""
            <tr>
            <td data-label="Recorded">{Time(c.Event.Timestamp)}</td>
            <td data-label="Claim"><a href="/claims/{c.Event.StreamId}">{claims.GetValueOrDefault(c.Event.StreamId)?.Statement ?? c.Event.StreamId.ToString()}</a></td>
            <td data-label="Correction">{What(c.Data)}<div>{c.Data.Reason}</div></td>
            <td data-label="By">{c.Event.UserName ?? "unknown"}</td>
            <td data-label="Replay"><a href="/claims/{c.Event.StreamId}/replay{Query(("step", c.Event.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)))}">step {c.Event.Version}</a></td>
            </tr>
            """));
        return Page.Render("Corrections", Html.Of($"""
            <h1>Corrections log</h1>
            <p>Every correction ClaimsTracker has recorded, newest first: what was corrected, why, by whom and when. The
            corrected event itself is never changed; the correction is a new event, and both stay in the claim's history.</p>
            {Html.When(corrections.Count == 0, Html.Of($"<p>No correction has been recorded.</p>"))}
            {Html.When(corrections.Count > 0, Html.Of($"""
                <table class="history">
                <thead><tr><th scope="col">Recorded</th><th scope="col">Claim</th><th scope="col">Correction</th><th scope="col">By</th><th scope="col">Replay</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """))}
            """));
    }

    private static Html Steps(Guid id, int number, int count)
    {
        Html Link(int target, string label, string rel) => target < 1 || target > count || target == number
            ? Html.Of($"<span>{label}</span>")
            : Html.Of($"<a rel=\"{rel}\" href=\"/claims/{id}/replay{Query(("step", target.ToString(System.Globalization.CultureInfo.InvariantCulture)))}\">{label}</a>");
        return Html.Of($"""
            <nav class="pager" aria-label="Steps">{Link(1, "First", "first")} {Link(number - 1, "Previous", "prev")} {Link(number + 1, "Next", "next")} {Link(count, "Last", "last")}</nav>
            """);
    }

    private static Html Changes(IReadOnlyList<Change> changes) => changes.Count == 0
        ? Html.Of($"<p>Nothing the summary shows: the event is kept in the history.</p>")
        : Html.Of($"""
            <ul class="changes">{changes.Select(c => Html.Of($"<li>{c.What}: {c.From ?? "—"} → <strong>{c.To ?? "—"}</strong></li>"))}</ul>
            """);

    private static Html What(ClaimCorrected c) => c.CorrectsVersion is { } version
        ? Html.Of($"Event {version}:{Html.When(c.Stance is not null, Html.Of($" stance to {(c.Stance is { } s ? Spoken(s) : "")}"))}{Html.When(c.StatedAt is not null, Html.Of($" stated at {Time(c.StatedAt, "")}"))}{Html.When(c.Quote is not null, Html.Of($" quote"))}{Html.When(c.Source is not null, Html.Of($" source to {c.Source?.Name}"))}{Html.When(c.Url is not null, Html.Of($" evidence link to {c.Url}"))}{Html.When(c.Description is not null, Html.Of($" evidence description to “{c.Description}”"))}{Html.When(c.Article is not null, Html.Of($" article to {c.Article?.Outlet}, published {(c.Article is { } a ? Period(a.PublishedAt, a.PublishedAtPrecision) : Html.Empty)}"))}")
        : Html.Of($"The claim's{Html.When(c.Statement is not null, Html.Of($" text to “{c.Statement}”"))}{Html.When(c.Statement is not null && c.Parties is not null, Html.Of($" and"))}{Html.When(c.Parties is not null, Html.Of($" parties to {string.Join(", ", c.Parties ?? [])}"))}");
}
