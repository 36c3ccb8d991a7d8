using ClaimsTracker.Claims;
using JasperFx.Events;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public class TimelineTests
{
    private static IReadOnlyList<StatusInterval> TimelineOf(params object[] events) => ConfirmationStatus.Timeline(Facts(events));

    [Fact]
    public void claim_nobody_has_spoken_about_is_unconfirmed_from_its_first_report_on() =>
        TimelineOf().ShouldBe([new StatusInterval(FirstReported, null, ClaimStatus.Unconfirmed, 1)]);

    [Fact]
    public void each_change_of_status_begins_a_contiguous_interval_and_the_last_stays_open() =>
        TimelineOf(
                Said(Russia, Stance.Confirms, Day(21)),
                Said(NorthKorea, Stance.Denies, Day(22)),
                Ruled(Verdict.False, Day(23)),
                Retracted(Day(25)))
            .ShouldBe([
                new StatusInterval(FirstReported, Day(21), ClaimStatus.Unconfirmed, 1),
                new StatusInterval(Day(21), Day(22), ClaimStatus.PartiallyConfirmed, 2),
                new StatusInterval(Day(22), Day(23), ClaimStatus.Disputed, 3),
                new StatusInterval(Day(23), Day(25), ClaimStatus.Refuted, 4),
                new StatusInterval(Day(25), null, ClaimStatus.Retracted, 5),
            ]);

    [Fact]
    public void because_of_names_the_event_that_changed_the_status_not_the_ones_that_did_not() =>
        TimelineOf(
                Said(null, Stance.Asserts, Day(21), "South Korea's foreign ministry"),
                Reported(Day(21)),
                Said(Russia, Stance.DeclinesToComment, Day(22)),
                Said(NorthKorea, Stance.Confirms, Day(23)))
            .ShouldBe([
                new StatusInterval(FirstReported, Day(23), ClaimStatus.Unconfirmed, 1),
                new StatusInterval(Day(23), null, ClaimStatus.PartiallyConfirmed, 5),
            ]);

    [Fact]
    public void late_recorded_earlier_statement_inserts_a_change_in_the_past()
    {
        var before = TimelineOf(Said(Russia, Stance.Confirms, Day(23)));
        var after = TimelineOf(Said(Russia, Stance.Confirms, Day(23)), Said(NorthKorea, Stance.Denies, Day(21)));

        before.ShouldBe([
            new StatusInterval(FirstReported, Day(23), ClaimStatus.Unconfirmed, 1),
            new StatusInterval(Day(23), null, ClaimStatus.PartiallyConfirmed, 2),
        ]);
        after.ShouldBe([
            new StatusInterval(FirstReported, Day(21), ClaimStatus.Unconfirmed, 1),
            new StatusInterval(Day(21), Day(23), ClaimStatus.Denied, 3),
            new StatusInterval(Day(23), null, ClaimStatus.Disputed, 2),
        ]);
    }

    [Fact]
    public void consecutive_equal_statuses_merge_into_one_interval() =>
        TimelineOf(
                Said(Russia, Stance.Confirms, Day(21), "Dmitry Peskov"),
                Said(Russia, Stance.Confirms, Day(22), "Sergei Lavrov"),
                Said(NorthKorea, Stance.DeclinesToComment, Day(23)))
            .ShouldBe([
                new StatusInterval(FirstReported, Day(21), ClaimStatus.Unconfirmed, 1),
                new StatusInterval(Day(21), null, ClaimStatus.PartiallyConfirmed, 2),
            ]);

    [Fact]
    public void status_returning_to_an_earlier_one_begins_a_new_interval() =>
        TimelineOf(
                Said(Russia, Stance.Confirms, Day(21)),
                Said(Russia, Stance.Denies, Day(22)),
                Said(Russia, Stance.Confirms, Day(23)))
            .ShouldBe([
                new StatusInterval(FirstReported, Day(21), ClaimStatus.Unconfirmed, 1),
                new StatusInterval(Day(21), Day(22), ClaimStatus.PartiallyConfirmed, 2),
                new StatusInterval(Day(22), Day(23), ClaimStatus.Denied, 3),
                new StatusInterval(Day(23), null, ClaimStatus.PartiallyConfirmed, 4),
            ]);

    [Fact]
    public void statement_before_the_first_report_starts_the_timeline_earlier() =>
        TimelineOf(Said(Russia, Stance.Confirms, Day(18)), Said(NorthKorea, Stance.Confirms, Day(22)))
            .ShouldBe([
                new StatusInterval(Day(18), Day(22), ClaimStatus.PartiallyConfirmed, 2),
                new StatusInterval(Day(22), null, ClaimStatus.Confirmed, 3),
            ]);

    [Fact]
    public void third_party_statement_before_the_first_report_does_not_move_the_start() =>
        TimelineOf(Said("South Korea", Stance.Confirms, Day(18)))
            .ShouldBe([new StatusInterval(FirstReported, null, ClaimStatus.Unconfirmed, 1)]);

    [Fact]
    public void two_changes_at_the_same_instant_make_one_interval_caused_by_the_later() =>
        TimelineOf(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Confirms, Day(21)))
            .ShouldBe([
                new StatusInterval(FirstReported, Day(21), ClaimStatus.Unconfirmed, 1),
                new StatusInterval(Day(21), null, ClaimStatus.Confirmed, 3),
            ]);

    [Fact]
    public void change_undone_at_the_same_instant_leaves_no_interval() =>
        TimelineOf(Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.Unproven, Day(21)))
            .ShouldBe([new StatusInterval(FirstReported, null, ClaimStatus.Unconfirmed, 1)]);

    [Fact]
    public void correcting_a_statements_world_time_moves_its_change_which_is_then_because_of_the_correction()
    {
        var intervals = TimelineOf(Said(Russia, Stance.Confirms, Day(22)), CorrectedStatement(2, statedAt: Day(21)));

        intervals.ShouldBe([
            new StatusInterval(FirstReported, Day(21), ClaimStatus.Unconfirmed, 1),
            new StatusInterval(Day(21), null, ClaimStatus.PartiallyConfirmed, 3),
        ]);
    }

    [Fact]
    public void status_after_the_last_interval_begins_is_the_current_status()
    {
        var facts = Facts(Said(Russia, Stance.Denies, Day(21)), Said(NorthKorea, Stance.Confirms, Day(24)), Said(Russia, Stance.Confirms, Day(22)));

        var intervals = ConfirmationStatus.Timeline(facts);

        intervals[^1].Status.ShouldBe(ConfirmationStatus.At(facts).Status);
        intervals.ShouldAllBe(i => ConfirmationStatus.At(facts, i.From).Status == i.Status);
        intervals.Zip(intervals.Skip(1)).ShouldAllBe(pair => pair.First.To == pair.Second.From);
        intervals.Count.ShouldBe(4);
    }

    [Fact]
    public void the_kept_timeline_takes_facts_in_world_order_and_asks_to_be_derived_again_for_an_earlier_one()
    {
        var timeline = StatusTimeline.Start([Russia, NorthKorea], FirstReported);

        timeline.Then(2, Said(Russia, Stance.Confirms, Day(21))).ShouldBeTrue();
        timeline.Then(3, Said(NorthKorea, Stance.Denies, Day(21))).ShouldBeTrue();
        timeline.Then(4, Evidence(Bearing.Supports, Day(19))).ShouldBeTrue();

        timeline.Intervals.ShouldBe([
            new StatusInterval(FirstReported, Day(21), ClaimStatus.Unconfirmed, 1),
            new StatusInterval(Day(21), null, ClaimStatus.Disputed, 3),
        ]);
        timeline.Then(5, Said(Russia, Stance.Denies, Day(20))).ShouldBeFalse();
        timeline.Then(6, CorrectedStatement(2, Stance.Denies, null)).ShouldBeFalse();
    }
}
