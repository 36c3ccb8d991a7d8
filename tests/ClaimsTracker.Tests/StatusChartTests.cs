using System.Text.Encodings.Web;
using System.Text.Unicode;
using ClaimsTracker.Claims;
using ClaimsTracker.Dashboard.Components;
using JasperFx.Events;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public sealed class StatusChartTests
{
    private static (IReadOnlyList<StatusInterval> Intervals, List<IEvent> Events) Story(params object[] later)
    {
        var events = new List<IEvent> { new Event<ClaimRegistered>(Registered()) { Version = 1 } };
        events.AddRange(later.Select((e, i) => (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(e.GetType()), e)!));
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Version = i + 1;
        }

        return (ConfirmationStatus.Timeline(Facts(later)), events);
    }

    private static async Task<string> Chart(IReadOnlyList<StatusInterval> intervals, IReadOnlyList<IEvent> events)
    {
        await using var renderer = new HtmlRenderer(
            new ServiceCollection().AddSingleton(HtmlEncoder.Create(UnicodeRanges.All)).BuildServiceProvider(), NullLoggerFactory.Instance);
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { ["Intervals"] = intervals, ["Events"] = events });
        return await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<StatusChart>(parameters)).ToHtmlString());
    }

    [Fact]
    public async Task a_withdrawn_verdict_ends_its_band_and_is_marked_with_its_reason()
    {
        var (intervals, events) = Story(Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.False, Day(23)), Withdrawn(Day(25)));

        var svg = await Chart(intervals, events);

        svg.Split("class=\"mark\"").Length.ShouldBe(4);
        svg.ShouldContain("<title>partially confirmed from 2024-02-25 12:00 UTC to now because of version 4, verdict withdrawn: the verdict went too far</title>");
    }

    [Fact]
    public async Task each_status_interval_is_a_labelled_band_and_each_statement_evidence_and_verdict_a_mark()
    {
        var (intervals, events) = Story(
            Said(Russia, Stance.Confirms, Day(21)), Evidence(Bearing.Supports, Day(22)), Said(NorthKorea, Stance.Denies, Day(23)),
            Ruled(Verdict.False, Day(25)));

        var svg = await Chart(intervals, events);

        svg.Split("class=\"band\"").Length.ShouldBe(5);
        svg.ShouldContain("data-status=\"partially_confirmed\"");
        svg.ShouldContain("data-status=\"disputed\"");
        svg.ShouldContain("data-status=\"refuted\"");
        svg.Split("class=\"mark\"").Length.ShouldBe(5);
        svg.ShouldContain("<title>disputed from 2024-02-23 12:00 UTC to 2024-02-25 12:00 UTC because of version 4, spokesperson (North Korea) denies</title>");
        svg.ShouldContain("fill=\"url(#pattern-cross)\"");
    }

    [Fact]
    public async Task a_change_known_only_to_its_day_is_hatched_over_that_day()
    {
        var (intervals, events) = Story(Said(Russia, Stance.Confirms, Day(21, 0)) with { StatedAtPrecision = TimePrecision.Day });

        var svg = await Chart(intervals, events);

        svg.Split("class=\"uncertain-period\"").Length.ShouldBe(2);
        svg.ShouldContain("data-from=\"2024-02-21 00:00 UTC\" data-to=\"2024-02-22 00:00 UTC\"");
        svg.ShouldContain("fill=\"url(#pattern-uncertain)\"");
        (await Chart(Story(Said(Russia, Stance.Confirms, Day(21))).Intervals, events)).ShouldNotContain("class=\"uncertain-period\"");
    }

    [Fact]
    public async Task recorded_text_in_titles_and_labels_stays_text()
    {
        var (intervals, events) = Story(Said(Russia, Stance.Confirms, Day(21), source: "<script>alert(1)</script>\"onfocus=\"x"));

        var svg = await Chart(intervals, events);

        svg.ShouldNotContain("<script>");
        svg.ShouldNotContain("\"onfocus=\"");
        svg.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    [Fact]
    public async Task a_claim_without_intervals_draws_nothing() =>
        (await Chart([], [])).ShouldBeEmpty();
}
