using System.Globalization;
using ClaimsTracker.Claims;
using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Dashboard;

/// <summary>The small pieces every page shows the same way: statuses, stances, times, links.</summary>
public static class Fragments
{
    /// <summary>"partially_confirmed" as people read it: "partially confirmed".</summary>
    public static string Spoken<TEnum>(TEnum value) where TEnum : struct, Enum => Words.Of(value).Replace('_', ' ');

    /// <summary>The status in words, coloured by its stored word; the colour never stands alone.</summary>
    public static Html StatusBadge(ClaimStatus status) =>
        Html.Of($"<span class=\"badge\" data-status=\"{Words.Of(status)}\">{Spoken(status)}</span>");

    public static Html StanceMark(PartyStance stance)
    {
        var mark = stance switch
        {
            PartyStance.Confirms => "✓",
            PartyStance.Denies => "✗",
            _ => "–",
        };
        return Html.Of($"<span class=\"stance\" data-stance=\"{Words.Of(stance)}\"><span aria-hidden=\"true\">{mark} </span>{Spoken(stance)}</span>");
    }

    /// <summary>Each party of a claim with its stance, as a two-column matrix.</summary>
    public static Html StanceMatrix(IEnumerable<PartyView> parties) => Html.Of($"""
        <dl class="stances">{parties.Select(p => Html.Of($"<dt>{p.Party}</dt><dd>{StanceMark(p.Stance)}</dd>"))}</dl>
        """);

    /// <summary>Topics as links to the board filtered by each.</summary>
    public static Html TopicLinks(string[] topics) => Html.When(topics.Length > 0, Html.Of($"""
        <ul class="topics" aria-label="Topics">{topics.Select(t => Html.Of($"<li><a href=\"/{Query(("topic", t))}\">{t}</a></li>"))}</ul>
        """));

    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Full precision, so that an as-of link lands exactly on the event it was taken from.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The value of a datetime-local input, which the forms label as UTC.</summary>
    public static string? LocalInput(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A query-string value as a filter takes it: trimmed, or null when blank.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static Html Time(DateTimeOffset time) => Html.Of(
        $"<time datetime=\"{time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\">{Utc(time)}</time>");

    public static Html Time(DateTimeOffset? time, string whenMissing) =>
        time is { } t ? Time(t) : Html.Of($"{whenMissing}");

    /// <summary>A world time only as precise as its source: "2023-09 (known to the month)" rather than a made-up minute.</summary>
    public static Html Period(DateTimeOffset start, TimePrecision? precision)
    {
        var period = new WorldTime(start, precision ?? TimePrecision.Instant);
        return period.Text is { } text
            ? Html.Of($"""<time class="uncertain" datetime="{text}">{text} (known to the {Words.Of(period.Precision)})</time>""")
            : Time(start);
    }

    /// <summary>A recorded URL as a link only when it is plain http or https; anything else stays inert text.</summary>
    public static Html ExternalLink(string? url, string text) => SafeUrl(url) is { } href
        ? Html.Of($"<a href=\"{href}\" rel=\"noopener noreferrer\">{text}</a>")
        : Html.Of($"{text}");

    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;

    /// <summary>A query string of the non-empty values, each escaped; the page encodes it again as an attribute.</summary>
    public static string Query(params (string Name, string? Value)[] values)
    {
        var pairs = values.Where(v => !string.IsNullOrEmpty(v.Value))
            .Select(v => $"{v.Name}={Uri.EscapeDataString(v.Value!)}")
            .ToArray();
        return pairs.Length == 0 ? "" : "?" + string.Join('&', pairs);
    }

    /// <summary>What was wrong with the page's query, field by field, as the API would say it.</summary>
    public static Html ErrorList(ProblemDetails problem)
    {
        var errors = problem.Extensions.TryGetValue("errors", out var found) && found is IDictionary<string, string[]> byField
            ? byField
            : new Dictionary<string, string[]>();
        var items = errors.SelectMany(e => e.Value.Select(message => Html.Of($"<li><strong>{e.Key}</strong> {message}</li>")));
        return Html.Of($"""
            <div class="problem" role="alert">
            <p>{problem.Title}: fix what is listed and try again.</p>
            <ul>{items}</ul>
            </div>
            """);
    }
}
