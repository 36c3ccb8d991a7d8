using System.Globalization;
using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using JasperFx.Events;
using static ClaimsTracker.Dashboard.Fragments;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// The status over world time as server-side SVG: one band per status interval, coloured and textured and
/// labelled in words, and one mark per statement, piece of evidence, verdict or retraction. Every band and mark
/// is focusable and names the event behind it; the table below the chart says the same in text.
/// </summary>
public static class StatusChart
{
    private const double Width = 960, Left = 8, Right = 8, BandTop = 8, BandHeight = 56, MarkY = 96, Height = 140;

    private sealed record Style(string Fill, string Ink, string? Pattern);

    private static readonly Dictionary<ClaimStatus, Style> Styles = new()
    {
        [ClaimStatus.Unconfirmed] = new("#eceef1", "#30363d", "dots"),
        [ClaimStatus.PartiallyConfirmed] = new("#cfead9", "#1b5e37", "rise"),
        [ClaimStatus.Confirmed] = new("#1e7044", "#ffffff", null),
        [ClaimStatus.Disputed] = new("#ffe08a", "#5f4300", "cross"),
        [ClaimStatus.Denied] = new("#f7c3ab", "#6e2206", "fall"),
        [ClaimStatus.Refuted] = new("#a8231b", "#ffffff", null),
        [ClaimStatus.Misleading] = new("#e2cdf0", "#4a1f70", "waves"),
        [ClaimStatus.Retracted] = new("#2d3339", "#ffffff", null),
    };

    /// <param name="link">Where an event's version links to; by default its row in the history on the same page.</param>
    public static Html Render(IReadOnlyList<StatusInterval> intervals, IReadOnlyList<IEvent> events, Func<long, string>? link = null)
    {
        link ??= version => $"#event-{version}";
        if (intervals.Count == 0)
        {
            return Html.Empty;
        }

        var marks = events.Select(HistoryItem.Of)
            .Where(e => e.WorldAt is not null && e.Data is StatementRecorded or EvidenceAttached or VerdictGiven or VerdictWithdrawn or ClaimRetracted)
            .ToList();
        var start = intervals[0].From;
        var last = new[] { intervals[^1].From }.Concat(intervals.Select(i => i.To ?? i.From)).Concat(marks.Select(m => m.WorldAt!.Value)).Max();
        var span = last - start;
        // the open-ended last band keeps some room, so that "until now" reads as a band and not as a line
        var end = last + (span <= TimeSpan.FromDays(5) ? TimeSpan.FromDays(1) : span * 0.2);
        double X(DateTimeOffset t) => Left + (Width - Left - Right) * ((t - start) / (end - start));

        var byVersion = events.ToDictionary(e => e.Version);
        var bands = intervals.Select((interval, i) => Band(interval, i, X(interval.From), X(interval.To ?? end), byVersion, link));
        return Html.Of($"""
            <figure class="chart">
            <div class="chart-frame">
            <svg viewBox="0 0 {Num(Width)} {Num(Height)}" width="100%" role="group" aria-labelledby="chart-caption" data-bands="{intervals.Count}" focusable="false">
            {Patterns()}
            <g class="bands">{bands}</g>
            <g class="uncertain">{intervals.Where(i => i.UncertainFrom is not null).Select(i => Uncertain(i, X(i.UncertainFrom!.Value), X(i.From)))}</g>
            <line class="axis" x1="{Num(Left)}" x2="{Num(Width - Right)}" y1="{Num(MarkY)}" y2="{Num(MarkY)}" stroke="#8b939c" stroke-width="1"></line>
            <g class="marks">{marks.Select(m => Mark(m, X(m.WorldAt!.Value), link))}</g>
            <text x="{Num(Left)}" y="{Num(Height - 6)}" font-size="12" fill="#5a616b">{Utc(start)}</text>
            <text x="{Num(Width - Right)}" y="{Num(Height - 6)}" font-size="12" fill="#5a616b" text-anchor="end">{(intervals[^1].To is null ? "now" : Utc(end))}</text>
            </svg>
            </div>
            <figcaption id="chart-caption">Status over world time: {intervals.Count} {(intervals.Count == 1 ? "period" : "periods")}, {marks.Count} {(marks.Count == 1 ? "event" : "events")} marked below the bands (● statement, ■ evidence, ◆ verdict, its withdrawal or retraction). Focus or hover a band or mark to see the event behind it.</figcaption>
            </figure>
            """);
    }

    private static Html Band(
        StatusInterval interval, int index, double x1, double x2, IReadOnlyDictionary<long, IEvent> events, Func<long, string> link)
    {
        var style = Styles[interval.Status];
        var width = Math.Max(2, x2 - x1);
        var cause = events.TryGetValue(interval.BecauseOf, out var e) ? $" because of version {e.Version}, {Describe(e.Data)}" : "";
        var label = $"{Spoken(interval.Status)} from {Utc(interval.From)} to {(interval.To is { } to ? Utc(to) : "now")}{cause}";
        // the word only where it fits; a narrow band still names its status in its title and in the table below
        var text = width >= Spoken(interval.Status).Length * 8.5 + 12
            ? Html.Of($"""<text x="{Num(x1 + 6)}" y="{Num(BandTop + BandHeight / 2 + 5)}" font-size="14" font-weight="600" fill="{style.Ink}">{Spoken(interval.Status)}</text>""")
            : Html.Empty;
        return Html.Of($"""
            <a class="band" href="{link(interval.BecauseOf)}" data-status="{Words.Of(interval.Status)}" data-index="{index}" aria-label="{label}">
            <title>{label}</title>
            <rect x="{Num(x1)}" y="{Num(BandTop)}" width="{Num(width)}" height="{Num(BandHeight)}" fill="{style.Fill}" stroke="#ffffff" stroke-width="1"></rect>
            {Html.When(style.Pattern is not null, Html.Of($"""<rect x="{Num(x1)}" y="{Num(BandTop)}" width="{Num(width)}" height="{Num(BandHeight)}" fill="url(#pattern-{style.Pattern})"></rect>"""))}
            {text}
            </a>
            """);
    }

    /// <summary>Hatching over the stretch in which a change known only to a day, month or year may have happened.</summary>
    private static Html Uncertain(StatusInterval interval, double x1, double x2) => Html.Of($"""
        <rect class="uncertain-period" x="{Num(x1)}" y="{Num(BandTop)}" width="{Num(Math.Max(2, x2 - x1))}" height="{Num(BandHeight)}" fill="url(#pattern-uncertain)" stroke="#30363d" stroke-dasharray="4 3" data-from="{Utc(interval.UncertainFrom!.Value)}" data-to="{Utc(interval.From)}"><title>{Spoken(interval.Status)} began somewhere between {Utc(interval.UncertainFrom!.Value)} and {Utc(interval.From)}: the fact is known only to its period</title></rect>
        """);

    private static Html Mark(HistoryItem e, double x, Func<long, string> link)
    {
        var label = $"Version {e.Version} at {Utc(e.WorldAt!.Value)}: {Describe(e.Data)}";
        var shape = e.Data switch
        {
            StatementRecorded s => Html.Of($"""<circle cx="{Num(x)}" cy="{Num(MarkY)}" r="6" fill="{StanceFill(s.Stance)}" stroke="#1c1f23" stroke-width="1.5"></circle>"""),
            EvidenceAttached => Html.Of($"""<rect x="{Num(x - 5.5)}" y="{Num(MarkY - 5.5)}" width="11" height="11" fill="#ffffff" stroke="#1c1f23" stroke-width="1.5"></rect>"""),
            _ => Html.Of($"""<path d="M {Num(x)} {Num(MarkY - 8)} L {Num(x + 8)} {Num(MarkY)} L {Num(x)} {Num(MarkY + 8)} L {Num(x - 8)} {Num(MarkY)} Z" fill="#1c1f23"></path>"""),
        };
        return Html.Of($"""
            <a class="mark" href="{link(e.Version)}" data-version="{e.Version}" aria-label="{label}">
            <title>{label}</title>
            {shape}
            </a>
            """);
    }

    private static string StanceFill(Stance stance) => stance switch
    {
        Stance.Confirms => "#1e7044",
        Stance.Denies => "#a8231b",
        _ => "#ffffff",
    };

    private static string Describe(object data) => data switch
    {
        StatementRecorded s => $"{s.Source.Name}{(s.Source.Party is { } p ? $" ({p})" : "")} {Spoken(s.Stance)}",
        EvidenceAttached x => $"evidence ({x.Kind}) that {Spoken(x.Bearing)}: {x.Description}",
        VerdictGiven v => $"editor's verdict: {Spoken(v.Verdict)}",
        ClaimRetracted r => $"retracted: {r.Reason}",
        VerdictWithdrawn w => $"verdict withdrawn: {w.Reason}",
        ClaimRegistered => "registered (first report)",
        ClaimCorrected c => $"correction: {c.Reason}",
        _ => "event",
    };

    // texture tells the statuses apart where colour cannot: rising lines, falling lines, crossing, dots, waves
    private static Html Patterns() => Html.Of($"""
        <defs>
        <pattern id="pattern-rise" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0 8 L8 0" stroke="#1b5e37" stroke-opacity="0.35" stroke-width="1.5"></path></pattern>
        <pattern id="pattern-fall" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0 0 L8 8" stroke="#6e2206" stroke-opacity="0.35" stroke-width="1.5"></path></pattern>
        <pattern id="pattern-cross" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0 0 L8 8 M0 8 L8 0" stroke="#5f4300" stroke-opacity="0.3" stroke-width="1.2"></path></pattern>
        <pattern id="pattern-dots" width="8" height="8" patternUnits="userSpaceOnUse"><circle cx="4" cy="4" r="1.2" fill="#30363d" fill-opacity="0.35"></circle></pattern>
        <pattern id="pattern-uncertain" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff" fill-opacity="0.55"></rect><line x1="0" y1="0" x2="0" y2="6" stroke="#30363d" stroke-opacity="0.6" stroke-width="2"></line></pattern>
        <pattern id="pattern-waves" width="12" height="8" patternUnits="userSpaceOnUse"><path d="M0 4 Q3 0 6 4 T12 4" fill="none" stroke="#4a1f70" stroke-opacity="0.35" stroke-width="1.2"></path></pattern>
        </defs>
        """);

    private static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
