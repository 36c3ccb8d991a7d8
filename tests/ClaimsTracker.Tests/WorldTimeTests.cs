using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public class WorldTimeTests
{
    private static DateTimeOffset Utc(int year, int month = 1, int day = 1, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2024-02-20T09:00:00Z", "2024-02-20T09:00:00Z", TimePrecision.Instant, "2024-02-20T09:00:00Z")]
    [InlineData("2024-02-20T12:00:00+03:00", "2024-02-20T09:00:00Z", TimePrecision.Instant, "2024-02-20T09:00:00Z")]
    [InlineData("2024-02-20", "2024-02-20T00:00:00Z", TimePrecision.Day, "2024-02-21T00:00:00Z")]
    [InlineData("2023-09", "2023-09-01T00:00:00Z", TimePrecision.Month, "2023-10-01T00:00:00Z")]
    [InlineData("2024-12", "2024-12-01T00:00:00Z", TimePrecision.Month, "2025-01-01T00:00:00Z")]
    [InlineData("2018", "2018-01-01T00:00:00Z", TimePrecision.Year, "2019-01-01T00:00:00Z")]
    public void a_time_reads_as_the_start_of_its_period_and_counts_from_its_end(string text, string start, TimePrecision precision, string end)
    {
        var time = WorldTime.Parse(text).ShouldNotBeNull();

        (time.Start, time.Precision, time.End).ShouldBe((DateTimeOffset.Parse(start), precision, DateTimeOffset.Parse(end)));
        WorldTime.Ending(time.End, precision).ShouldBe(time);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Feb 2024")]
    [InlineData("2024-13")]
    [InlineData("2024-02-30")]
    [InlineData("24")]
    [InlineData("20240220")]
    [InlineData("2024-02-20T25:00:00Z")]
    public void anything_else_is_not_a_world_time(string text) => WorldTime.Parse(text).ShouldBeNull();

    [Fact]
    public void a_bad_time_is_named_by_its_field_and_any_json_value_reaches_the_validation()
    {
        var command = JsonSerializer.Deserialize<RecordStatement>(
            """{ "source": { "name": "KCNA", "party": "North Korea" }, "stance": "confirms", "statedAt": 2024 }""", Json.Options)!;

        var problem = RecordStatementEndpoint.Validate(command, new FixedClock(Day(28)));

        problem.ShouldNameOnly("statedAt",
            "must be an ISO 8601 time such as 2024-02-20T09:00:00Z, or a day, month or year as precise as the source: 2024-02-20, 2024-02 or 2024");
    }

    [Fact]
    public void a_period_must_have_begun_but_may_not_have_ended() =>
        new Validation().Time("statedAt", new TimeInput("2024"), Day(28)).Result().Status.ShouldBeNull();

    [Fact]
    public void a_statement_known_only_to_its_month_is_recorded_with_the_month_and_counts_from_its_end()
    {
        var said = new RecordStatement(new SourceInput("Kim Jong Un", "Leader", NorthKorea), "confirms", null, new TimeInput("2023-09"), null, null);
        var e = RecordStatementEndpoint.Decide(Given(), said, Editor).Events.ShouldHaveSingleItem().ShouldBeOfType<StatementRecorded>();

        (e.StatedAt, e.StatedAtPrecision).ShouldBe((Utc(2023, 9), TimePrecision.Month));
        var facts = Facts(e);
        ConfirmationStatus.At(facts, Utc(2023, 9, 30, 23)).Parties[1].Stance.ShouldBe(PartyStance.Open);
        ConfirmationStatus.At(facts, Utc(2023, 10)).Parties[1].Stance.ShouldBe(PartyStance.Confirms);
    }

    [Fact]
    public void an_imprecise_statement_is_ordered_by_the_end_of_its_period_against_precise_ones()
    {
        // "in February" denies; a confirmation on 20 February came before that period was over, so the denial stands
        var denied = Said(Russia, Stance.Denies, Utc(2024, 2)) with { StatedAtPrecision = TimePrecision.Month };
        var confirmed = Said(Russia, Stance.Confirms, Day(20));

        StatusOf(confirmed, denied).ShouldBe(ClaimStatus.Denied);
        StatusOf(denied, confirmed).ShouldBe(ClaimStatus.Denied);
        Given(confirmed, denied).Status.ShouldBe(ClaimStatus.Denied);
        Given(denied, confirmed).Status.ShouldBe(ClaimStatus.Denied);
        StatusOf(denied, Said(Russia, Stance.Confirms, Utc(2024, 3, 1))).ShouldBe(ClaimStatus.PartiallyConfirmed);
    }

    [Fact]
    public void the_timeline_marks_a_change_from_an_imprecise_fact_as_uncertain_over_its_period()
    {
        var day = Said(Russia, Stance.Confirms, Utc(2024, 2, 21)) with { StatedAtPrecision = TimePrecision.Day };

        var intervals = ConfirmationStatus.Timeline(Facts(day, Said(NorthKorea, Stance.Confirms, Day(23))));

        intervals.Select(i => (i.From, i.Status, i.UncertainFrom)).ShouldBe([
            (FirstReported, ClaimStatus.Unconfirmed, (DateTimeOffset?)null),
            (Utc(2024, 2, 22), ClaimStatus.PartiallyConfirmed, Utc(2024, 2, 21)),
            (Day(23), ClaimStatus.Confirmed, null),
        ]);
    }

    [Fact]
    public void a_correction_to_a_coarser_time_moves_the_fact_row_to_the_end_of_the_period()
    {
        var rows = ClaimFact.Rows(Stored(Said(Russia, Stance.Confirms, Day(20)),
            CorrectedStatement(2, statedAt: Utc(2024, 2)) with { StatedAtPrecision = TimePrecision.Month })).Single();

        (rows.At, rows.AtPrecision).ShouldBe((Utc(2024, 3), TimePrecision.Month));
        rows.Statement().Stated.ShouldBe(new WorldTime(Utc(2024, 2), TimePrecision.Month));
    }

    [Fact]
    public void events_recorded_before_precisions_were_kept_read_as_instants()
    {
        var json = """{ "claimId": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "source": { "name": "KCNA", "role": null, "party": "North Korea" }, "stance": "confirms", "quote": null, "statedAt": "2024-02-20T00:00:00+00:00", "reportedIn": null, "recordedBy": "desk" }""";

        JsonSerializer.Deserialize<StatementRecorded>(json, Json.Options)!.StatedAtPrecision.ShouldBe(TimePrecision.Instant);
    }
}
