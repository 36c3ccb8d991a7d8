using ClaimsTracker.Claims;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public class ConfirmationStatusTests
{
    [Fact]
    public void claim_nobody_has_spoken_about_is_unconfirmed() =>
        StatusOf().ShouldBe(ClaimStatus.Unconfirmed);

    [Fact]
    public void one_of_two_parties_confirming_is_partially_confirmed() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21))).ShouldBe(ClaimStatus.PartiallyConfirmed);

    [Fact]
    public void every_party_confirming_is_confirmed() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Confirms, Day(22)))
            .ShouldBe(ClaimStatus.Confirmed);

    [Fact]
    public void one_party_confirming_and_another_denying_is_disputed() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Denies, Day(22)))
            .ShouldBe(ClaimStatus.Disputed);

    [Fact]
    public void a_party_denying_with_none_confirming_is_denied() =>
        StatusOf(Said(NorthKorea, Stance.Denies, Day(21))).ShouldBe(ClaimStatus.Denied);

    [Fact]
    public void every_party_denying_is_denied() =>
        StatusOf(Said(Russia, Stance.Denies, Day(21)), Said(NorthKorea, Stance.Denies, Day(22)))
            .ShouldBe(ClaimStatus.Denied);

    [Fact]
    public void party_that_confirms_then_denies_counts_as_denying() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(Russia, Stance.Denies, Day(22)))
            .ShouldBe(ClaimStatus.Denied);

    [Fact]
    public void party_that_denies_then_confirms_counts_as_confirming() =>
        StatusOf(Said(Russia, Stance.Denies, Day(21)), Said(Russia, Stance.Confirms, Day(22)))
            .ShouldBe(ClaimStatus.PartiallyConfirmed);

    [Fact]
    public void two_sources_of_one_party_count_as_that_party_once() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21), "Dmitry Peskov"), Said(Russia, Stance.Confirms, Day(22), "Sergei Lavrov"))
            .ShouldBe(ClaimStatus.PartiallyConfirmed);

    [Fact]
    public void declines_to_comment_leaves_a_party_open()
    {
        var (status, parties) = ConfirmationStatus.At(Facts(Said(Russia, Stance.DeclinesToComment, Day(21))));

        status.ShouldBe(ClaimStatus.Unconfirmed);
        parties.Single(p => p.Party == Russia).Stance.ShouldBe(PartyStance.Open);
    }

    [Fact]
    public void declining_to_comment_after_confirming_keeps_the_confirmation() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(Russia, Stance.DeclinesToComment, Day(22)))
            .ShouldBe(ClaimStatus.PartiallyConfirmed);

    [Fact]
    public void declining_to_comment_after_denying_keeps_the_denial() =>
        StatusOf(Said(NorthKorea, Stance.Denies, Day(21)), Said(NorthKorea, Stance.DeclinesToComment, Day(22)))
            .ShouldBe(ClaimStatus.Denied);

    [Theory]
    [InlineData(Stance.Confirms)]
    [InlineData(Stance.Denies)]
    [InlineData(Stance.Asserts)]
    public void source_without_a_party_never_moves_the_status(Stance stance) =>
        StatusOf(Said(null, stance, Day(21), "Reuters")).ShouldBe(ClaimStatus.Unconfirmed);

    [Fact]
    public void source_of_a_party_the_claim_does_not_involve_never_moves_the_status() =>
        StatusOf(Said("South Korea", Stance.Confirms, Day(21), "South Korea's foreign ministry"), Said("Ukraine", Stance.Asserts, Day(22)))
            .ShouldBe(ClaimStatus.Unconfirmed);

    [Fact]
    public void third_party_confirmation_does_not_complete_a_partial_confirmation() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said("South Korea", Stance.Confirms, Day(22)))
            .ShouldBe(ClaimStatus.PartiallyConfirmed);

    [Fact]
    public void party_names_match_case_insensitively_and_take_the_claims_spelling()
    {
        var (status, parties) = ConfirmationStatus.At(Facts(Said("  north KOREA ", Stance.Confirms, Day(21)), Said("RUSSIA", Stance.Confirms, Day(22))));

        status.ShouldBe(ClaimStatus.Confirmed);
        parties.Select(p => (p.Party, p.Stance)).ShouldBe([(Russia, PartyStance.Confirms), (NorthKorea, PartyStance.Confirms)]);
    }

    [Fact]
    public void statement_recorded_late_but_stated_earlier_does_not_override_a_later_stated_one() =>
        StatusOf(Said(Russia, Stance.Denies, Day(23)), Said(Russia, Stance.Confirms, Day(21)))
            .ShouldBe(ClaimStatus.Denied);

    [Fact]
    public void statements_stated_at_the_same_instant_let_the_later_recorded_one_win() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(Russia, Stance.Denies, Day(21)))
            .ShouldBe(ClaimStatus.Denied);

    [Fact]
    public void status_at_a_world_time_before_a_statement_does_not_see_it()
    {
        var facts = Facts(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Denies, Day(23)));

        ConfirmationStatus.At(facts, Day(20)).Status.ShouldBe(ClaimStatus.Unconfirmed);
        ConfirmationStatus.At(facts, Day(22)).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
        ConfirmationStatus.At(facts, Day(24)).Status.ShouldBe(ClaimStatus.Disputed);
    }

    [Fact]
    public void status_at_the_instant_of_a_statement_includes_it()
    {
        var facts = Facts(Said(Russia, Stance.Confirms, Day(21)));

        ConfirmationStatus.At(facts, Day(21).AddTicks(-1)).Status.ShouldBe(ClaimStatus.Unconfirmed);
        ConfirmationStatus.At(facts, Day(21)).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
    }

    [Fact]
    public void late_recorded_earlier_statement_changes_the_past_answer()
    {
        var before = Facts(Said(Russia, Stance.Denies, Day(23)));
        var after = Facts(Said(Russia, Stance.Denies, Day(23)), Said(Russia, Stance.Confirms, Day(21)));

        ConfirmationStatus.At(before, Day(22)).Status.ShouldBe(ClaimStatus.Unconfirmed);
        ConfirmationStatus.At(after, Day(22)).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
    }

    [Fact]
    public void party_position_names_the_statement_behind_it()
    {
        var (_, parties) = ConfirmationStatus.At(Facts(
            Said(Russia, Stance.Confirms, Day(21), "Dmitry Peskov"),
            Said(Russia, Stance.DeclinesToComment, Day(22), "Maria Zakharova")));

        var russia = parties.Single(p => p.Party == Russia);
        russia.Because.ShouldNotBeNull();
        russia.Because.Version.ShouldBe(2);
        russia.Because.SourceName.ShouldBe("Dmitry Peskov");
        parties.Single(p => p.Party == NorthKorea).Because.ShouldBeNull();
    }

    [Theory]
    [InlineData(Verdict.Confirmed, ClaimStatus.Confirmed)]
    [InlineData(Verdict.False, ClaimStatus.Refuted)]
    [InlineData(Verdict.Misleading, ClaimStatus.Misleading)]
    [InlineData(Verdict.Unproven, ClaimStatus.Unconfirmed)]
    public void verdict_overrides_the_parties_stances(Verdict verdict, ClaimStatus expected) =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Denies, Day(22)), Ruled(verdict, Day(23)))
            .ShouldBe(expected);

    [Fact]
    public void verdict_false_refutes_a_claim_every_party_confirmed() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Confirms, Day(22)), Ruled(Verdict.False, Day(23)))
            .ShouldBe(ClaimStatus.Refuted);

    [Fact]
    public void verdict_overrides_from_its_moment_on_and_not_before()
    {
        var facts = Facts(Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.Misleading, Day(23)));

        ConfirmationStatus.At(facts, Day(22)).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
        ConfirmationStatus.At(facts, Day(23)).Status.ShouldBe(ClaimStatus.Misleading);
    }

    [Fact]
    public void statement_stated_after_a_verdict_does_not_move_the_status() =>
        StatusOf(Ruled(Verdict.False, Day(22)), Said(Russia, Stance.Confirms, Day(23)), Said(NorthKorea, Stance.Confirms, Day(24)))
            .ShouldBe(ClaimStatus.Refuted);

    [Fact]
    public void later_verdict_replaces_an_earlier_one()
    {
        var facts = Facts(Ruled(Verdict.Unproven, Day(21)), Ruled(Verdict.Confirmed, Day(24)));

        ConfirmationStatus.At(facts, Day(22)).Status.ShouldBe(ClaimStatus.Unconfirmed);
        ConfirmationStatus.At(facts).Status.ShouldBe(ClaimStatus.Confirmed);
    }

    [Fact]
    public void retraction_ends_the_claim_as_retracted() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Confirms, Day(22)), Retracted(Day(23)))
            .ShouldBe(ClaimStatus.Retracted);

    [Fact]
    public void retraction_overrides_a_verdict() =>
        StatusOf(Ruled(Verdict.Confirmed, Day(21)), Retracted(Day(23))).ShouldBe(ClaimStatus.Retracted);

    [Fact]
    public void status_before_the_retraction_is_still_derived_from_the_statements()
    {
        var facts = Facts(Said(Russia, Stance.Denies, Day(21)), Retracted(Day(23)));

        ConfirmationStatus.At(facts, Day(22)).Status.ShouldBe(ClaimStatus.Denied);
        ConfirmationStatus.At(facts, Day(23)).Status.ShouldBe(ClaimStatus.Retracted);
    }

    [Fact]
    public void statement_moved_after_the_retraction_in_world_time_does_not_undo_it()
    {
        var facts = Facts(
            Said(Russia, Stance.Confirms, Day(21)),
            Retracted(Day(23)),
            CorrectedStatement(2, Stance.Denies, statedAt: Day(25)));

        ConfirmationStatus.At(facts, Day(22)).Status.ShouldBe(ClaimStatus.Unconfirmed);
        ConfirmationStatus.At(facts).Status.ShouldBe(ClaimStatus.Retracted);
    }

    [Fact]
    public void verdict_later_in_world_time_than_a_retraction_does_not_undo_it() =>
        StatusOf(Retracted(Day(22)), Ruled(Verdict.Confirmed, Day(24))).ShouldBe(ClaimStatus.Retracted);

    [Fact]
    public void correcting_a_statements_world_time_reorders_it()
    {
        var facts = Facts(
            Said(Russia, Stance.Confirms, Day(21)),
            Said(Russia, Stance.Denies, Day(23)),
            CorrectedStatement(2, statedAt: Day(24)));

        ConfirmationStatus.At(facts).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
        ConfirmationStatus.At(facts, Day(22)).Status.ShouldBe(ClaimStatus.Unconfirmed);
    }

    [Fact]
    public void correcting_a_statement_into_declining_to_comment_reopens_the_party() =>
        StatusOf(Said(Russia, Stance.Confirms, Day(21)), CorrectedStatement(2, Stance.DeclinesToComment))
            .ShouldBe(ClaimStatus.Unconfirmed);

    [Fact]
    public void evidence_and_reports_never_move_the_status() =>
        StatusOf(Evidence(Bearing.Supports, Day(21)), Evidence(Bearing.Refutes, Day(22)), Reported(Day(22)))
            .ShouldBe(ClaimStatus.Unconfirmed);

    [Fact]
    public void claim_with_a_single_party_is_confirmed_when_that_party_confirms()
    {
        var facts = FactsOf(Registered("Kremlin"), Said("kremlin", Stance.Confirms, Day(21)));

        ConfirmationStatus.At(facts).Status.ShouldBe(ClaimStatus.Confirmed);
    }

    [Theory]
    [InlineData(new PartyStance[0], ClaimStatus.Unconfirmed)]
    [InlineData(new[] { PartyStance.Open, PartyStance.Open, PartyStance.Open }, ClaimStatus.Unconfirmed)]
    [InlineData(new[] { PartyStance.Confirms, PartyStance.Confirms, PartyStance.Confirms }, ClaimStatus.Confirmed)]
    [InlineData(new[] { PartyStance.Confirms, PartyStance.Open, PartyStance.Confirms }, ClaimStatus.PartiallyConfirmed)]
    [InlineData(new[] { PartyStance.Confirms, PartyStance.Denies, PartyStance.Open }, ClaimStatus.Disputed)]
    [InlineData(new[] { PartyStance.Denies, PartyStance.Open, PartyStance.Open }, ClaimStatus.Denied)]
    [InlineData(new[] { PartyStance.Denies, PartyStance.Denies, PartyStance.Denies }, ClaimStatus.Denied)]
    public void derivation_from_three_parties_stances(PartyStance[] stances, ClaimStatus expected) =>
        ConfirmationStatus.Derive(stances).ShouldBe(expected);
}
