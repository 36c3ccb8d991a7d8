using System.Text;

namespace ClaimsTracker.Dashboard;


/// <summary>The layout every dashboard page shares, and the answer that carries it.</summary>
public static class Page
{
    // only the service's own files: no inline script, no inline handler; live updates come from /events/stream
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly (Section Section, string Label, string Href)[] Navigation =
    [
        (Section.Board, "Board", "/"),
        (Section.Activity, "Activity", "/activity"),
        (Section.Sources, "Sources", "/sources"),
        (Section.Parties, "Parties", "/parties"),
        (Section.Projections, "Projections", "/ops/projections"),
        (Section.Docs, "API docs", "/docs"),
        (Section.SignIn, "Sign in", "/signin"),
    ];

    /// <param name="scripts">The page's own scripts from wwwroot, besides live.js which every page has.</param>
    public static IResult Render(
        string title, Html body, Section? current = null, int status = StatusCodes.Status200OK, IReadOnlyList<string>? scripts = null)
    {
        var nav = Navigation.Select(n => Html.Of(
            $"<li><a href=\"{n.Href}\"{Html.When(n.Section == current, Html.Of($" aria-current=\"page\""))}>{n.Label}</a></li>"));
        var document = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · ClaimsTracker</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/dashboard.css">
            <script src="/live.js" defer></script>
            {(scripts ?? []).Select(s => Html.Of($"<script src=\"{s}\" defer></script>"))}
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site">
            <a class="brand" href="/">ClaimsTracker</a>
            <nav aria-label="Main"><ul>{nav}</ul></nav>
            </header>
            <main id="main" tabindex="-1">
            {body}
            </main>
            <footer class="site">Times are in UTC. Every status is derived from the recorded events.</footer>
            </body>
            </html>
            """);
        return new HtmlResult(document, status);
    }

    /// <summary>
    /// The part of a page that live.js replaces, fetched again from <paramref name="source"/>, when the event stream
    /// reports a change of <paramref name="topic"/> (for one claim only when <paramref name="claimId"/> is given).
    /// </summary>
    public static Html LiveRegion(string topic, string source, Html content, Guid? claimId = null) => Html.Of($"""
        <p class="live-status" data-live-status hidden><span class="dot" aria-hidden="true"></span> <span data-live-text>Connecting…</span></p>
        <div id="live" data-live-topic="{topic}" data-live-src="{source}"{Html.When(claimId is not null, Html.Of($" data-live-claim=\"{claimId}\""))}>
        {content}
        </div>
        """);

    public static IResult NotFound(string title, Html explanation) => Render(title, Html.Of($"""
        <h1>{title}</h1>
        <p>{explanation}</p>
        <p><a href="/">Back to the board</a></p>
        """), status: StatusCodes.Status404NotFound);

    private sealed class HtmlResult(Html document, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.ContentLength = document.ByteCount();
            return document.WriteTo(response.Body, httpContext.RequestAborted);
        }
    }
}
