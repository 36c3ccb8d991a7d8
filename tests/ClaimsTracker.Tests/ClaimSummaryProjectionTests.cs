using ClaimsTracker.Claims;
using JasperFx.Events;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public class ClaimSummaryProjectionTests
{
    private static readonly DateTimeOffset RegisteredAt = Day(20, 9);

    /// <summary>The summary after the registration and then <paramref name="events"/>, each recorded an hour after the one before.</summary>
    private static ClaimSummary SummaryOf(params object[] events) => Project([Registered(), .. events])!;

    private static ClaimSummary? Project(params object[] stream)
    {
        var projection = new ClaimSummaryProjection();
        ClaimSummary? summary = null;
        foreach (var (data, i) in stream.Select((data, i) => (data, i)))
        {
            var e = new Event<object>(data) { Version = i + 1, Timestamp = RegisteredAt.AddHours(i) };
            summary = projection.Evolve(summary, ClaimId, e);
        }

        return summary;
    }

    [Fact]
    public void registration_shows_the_claim_unconfirmed_at_version_one()
    {
        var summary = SummaryOf();

        summary.ShouldSatisfyAllConditions(
            () => summary.Id.ShouldBe(ClaimId),
            () => summary.Statement.ShouldBe("North Korea has supplied rockets and missiles to Russia"),
            () => summary.Parties.ShouldBe([Russia, NorthKorea]),
            () => summary.Topics.ShouldBe(["weapons", "sanctions"]),
            () => summary.Status.ShouldBe(ClaimStatus.Unconfirmed),
            () => summary.Positions.Select(p => (p.Party, p.Stance)).ShouldBe([(Russia, PartyStance.Open), (NorthKorea, PartyStance.Open)]),
            () => summary.Version.ShouldBe(1),
            () => summary.RegisteredBy.ShouldBe("desk-editor"),
            () => summary.RegisteredAt.ShouldBe(RegisteredAt),
            () => summary.LastChangedAt.ShouldBe(RegisteredAt),
            () => summary.Verdict.ShouldBeNull(),
            () => summary.RetractionReason.ShouldBeNull());
    }

    [Fact]
    public void events_before_a_registration_build_no_summary() =>
        Project(Said(Russia, Stance.Confirms, Day(21))).ShouldBeNull();

    [Fact]
    public void statements_are_counted_as_party_statements_or_third_party_assertions()
    {
        var counts = SummaryOf(
            Said(Russia, Stance.Confirms, Day(21)),
            Said("north korea", Stance.DeclinesToComment, Day(21)),
            Said(null, Stance.Asserts, Day(22), "Reuters"),
            Said("South Korea", Stance.Asserts, Day(22), "South Korea's foreign ministry"),
            Said("Ukraine", Stance.Denies, Day(23))).Counts;

        (counts.Statements, counts.PartyStatements, counts.ThirdPartyAssertions).ShouldBe((5, 2, 3));
    }

    [Fact]
    public void evidence_is_counted_by_its_bearing()
    {
        var counts = SummaryOf(
            Evidence(Bearing.Supports, Day(21)), Evidence(Bearing.Supports, Day(22)), Evidence(Bearing.Refutes, Day(22))).Counts;

        (counts.Evidence, counts.SupportingEvidence, counts.RefutingEvidence).ShouldBe((3, 2, 1));
    }

    [Fact]
    public void reports_verdicts_and_corrections_are_counted_and_the_latest_verdict_shown()
    {
        var summary = SummaryOf(
            Reported(Day(21)), Reported(Day(22)), Said(Russia, Stance.Confirms, Day(22)),
            Ruled(Verdict.Unproven, Day(23)), Ruled(Verdict.Misleading, Day(24)),
            CorrectedStatement(4, quote: "what he said"), CorrectedText("corrected text"), CorrectedText("corrected again"));

        (summary.Counts.Reports, summary.Counts.Verdicts, summary.Counts.Corrections).ShouldBe((2, 2, 3));
        summary.Counts.Statements.ShouldBe(1);
        summary.Verdict.ShouldBe(Verdict.Misleading);
        summary.Status.ShouldBe(ClaimStatus.Misleading);
    }

    [Fact]
    public void status_and_positions_follow_the_parties_statements()
    {
        var summary = SummaryOf(Said(Russia, Stance.Confirms, Day(21), "Dmitry Peskov"), Said(NorthKorea, Stance.Denies, Day(22), "KCNA"));

        summary.Status.ShouldBe(ClaimStatus.Disputed);
        summary.Positions.Select(p => (p.Party, p.Stance, p.Because?.Version, p.Because?.SourceName))
            .ShouldBe([(Russia, PartyStance.Confirms, 2L, "Dmitry Peskov"), (NorthKorea, PartyStance.Denies, 3L, "KCNA")]);
    }

    [Fact]
    public void third_party_assertions_are_counted_but_never_move_the_status()
    {
        var summary = SummaryOf(Said("South Korea", Stance.Confirms, Day(21)), Said(null, Stance.Confirms, Day(22)));

        summary.Status.ShouldBe(ClaimStatus.Unconfirmed);
        summary.Counts.ThirdPartyAssertions.ShouldBe(2);
    }

    [Fact]
    public void corrected_stance_changes_the_status_shown()
    {
        var summary = SummaryOf(Said(Russia, Stance.Confirms, Day(21)), CorrectedStatement(2, Stance.Denies));

        summary.Status.ShouldBe(ClaimStatus.Denied);
        summary.Positions.Single(p => p.Party == Russia).Stance.ShouldBe(PartyStance.Denies);
    }

    [Fact]
    public void text_correction_replaces_the_statement_shown() =>
        SummaryOf(CorrectedText("North Korea has supplied artillery shells to Russia")).Statement
            .ShouldBe("North Korea has supplied artillery shells to Russia");

    [Fact]
    public void statement_correction_keeps_the_claim_text() =>
        SummaryOf(Said(Russia, Stance.Confirms, Day(21)), CorrectedStatement(2, quote: "fixed")).Statement
            .ShouldBe("North Korea has supplied rockets and missiles to Russia");

    [Fact]
    public void retraction_shows_retracted_with_its_reason()
    {
        var summary = SummaryOf(Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.Confirmed, Day(22)), Retracted(Day(23)));

        summary.Status.ShouldBe(ClaimStatus.Retracted);
        summary.RetractionReason.ShouldBe("source withdrew the story");
        summary.Verdict.ShouldBe(Verdict.Confirmed);
    }

    [Fact]
    public void version_and_last_change_follow_the_latest_event()
    {
        var summary = SummaryOf(Reported(Day(21)), Evidence(Bearing.Refutes, Day(22)), Said(Russia, Stance.Denies, Day(23)));

        summary.Version.ShouldBe(4);
        summary.LastChangedAt.ShouldBe(RegisteredAt.AddHours(3));
        summary.RegisteredAt.ShouldBe(RegisteredAt);
    }

    [Fact]
    public void recorded_times_are_kept_to_the_microsecond_as_postgresql_stores_them()
    {
        var recorded = new DateTimeOffset(2024, 2, 20, 11, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var summary = new ClaimSummaryProjection().Evolve(
            null, ClaimId, new Event<object>(Registered()) { Version = 1, Timestamp = recorded });

        summary.ShouldNotBeNull();
        summary.RegisteredAt.UtcTicks.ShouldBe(Day(20, 9).AddTicks(1_234_560).UtcTicks);
        summary.RegisteredAt.Offset.ShouldBe(TimeSpan.Zero);
        summary.LastChangedAt.ShouldBe(summary.RegisteredAt);
    }

    [Fact]
    public void claim_view_at_a_world_time_shows_the_status_and_positions_known_now_for_then()
    {
        object[] said = [Said(Russia, Stance.Confirms, Day(21), "Dmitry Peskov"), Said(NorthKorea, Stance.Denies, Day(23), "KCNA")];
        var summary = SummaryOf(said);

        var then = ClaimView.Of(summary, worldAt: Day(22), facts: Facts(said));
        var now = ClaimView.Of(summary);

        then.Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
        then.Parties.Select(p => (p.Party, p.Stance, p.BecauseOf, p.Source))
            .ShouldBe([(Russia, PartyStance.Confirms, (long?)2, "Dmitry Peskov"), (NorthKorea, PartyStance.Open, null, null)]);
        then.WorldAt.ShouldBe(Day(22));
        now.Status.ShouldBe(ClaimStatus.Disputed);
        now.Parties.Single(p => p.Party == NorthKorea).StatedAt.ShouldBe(Day(23));
    }
}
