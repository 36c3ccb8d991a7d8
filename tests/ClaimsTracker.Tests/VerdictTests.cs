using ClaimsTracker.Claims;
using Wolverine.Http;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

/// <summary>Verdicts as ClaimReview has them, and their withdrawal: the fields, the decisions and the status rule.</summary>
public sealed class VerdictTests
{
    private static readonly GiveVerdict Reviewed = new("false", "The video is from 2019.", null, "Facebook posts",
        new RatingInput("Pants on Fire", 1, 6, 1), new ReviewerInput("PolitiFact", "https://www.politifact.com"),
        ["https://www.politifact.com/factchecks/2024/feb/21/video/"]);

    [Fact]
    public void a_verdict_with_claimant_rating_reviewer_and_citations_is_valid() =>
        GiveVerdictEndpoint.Validate(Reviewed).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void a_rating_value_outside_its_scale_names_rating_value() =>
        GiveVerdictEndpoint.Validate(Reviewed with { Rating = new RatingInput("Pants on Fire", 7, 6, 1) })
            .ShouldNameOnly("rating.value", "must lie between rating.worst and rating.best (1 to 6)");

    [Fact]
    public void a_scale_whose_worst_is_not_below_its_best_names_rating_worst() =>
        GiveVerdictEndpoint.Validate(Reviewed with { Rating = new RatingInput("False", null, 1, 5) })
            .ShouldNameOnly("rating.worst", "must be below rating.best (1)");

    [Fact]
    public void a_rating_without_a_name_and_relative_urls_are_named_field_by_field()
    {
        var errors = GiveVerdictEndpoint.Validate(Reviewed with
        {
            Rating = new RatingInput(" ", 2, null, null), ReviewedBy = new ReviewerInput("PolitiFact", "politifact.com"),
            Citations = ["https://ok.example/a", "ftp://files.example/b"],
        }).FieldErrors();

        errors.Keys.Order().ShouldBe(["citations[1]", "rating.name", "reviewedBy.url"]);
        errors["citations[1]"].ShouldBe(["must be an absolute http or https URL"]);
    }

    [Fact]
    public void a_verdict_keeps_its_claimreview_fields_trimmed()
    {
        var verdict = GiveVerdictEndpoint.Decide(Given(), Reviewed with { Claimant = " Facebook posts " }, Editor)
            .Events.ShouldHaveSingleItem().ShouldBeOfType<VerdictGiven>();

        verdict.Claimant.ShouldBe("Facebook posts");
        verdict.Rating.ShouldBe(new Rating("Pants on Fire", 1, 6, 1));
        verdict.ReviewedBy.ShouldBe(new Reviewer("PolitiFact", "https://www.politifact.com"));
        verdict.Citations.ShouldBe(["https://www.politifact.com/factchecks/2024/feb/21/video/"]);
    }

    [Fact]
    public void a_verdict_without_claimreview_fields_is_stored_as_verdicts_were_before_them()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Ruled(Verdict.False, Day(23)), Infrastructure.Json.Options);

        json.ShouldNotContain("rating");
        json.ShouldNotContain("claimant");
        var read = System.Text.Json.JsonSerializer.Deserialize<VerdictGiven>(
            """{"claimId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","verdict":"false","rationale":"r","givenAt":"2024-02-23T12:00:00Z","recordedBy":"e"}""",
            Infrastructure.Json.Options)!;
        read.Rating.ShouldBeNull();
        read.Citations.ShouldBeNull();
    }

    [Fact]
    public void withdrawing_the_verdict_in_force_records_the_withdrawal() =>
        WithdrawVerdictEndpoint.Decide(Given(Ruled(Verdict.False, Day(23))), new WithdrawVerdict(" overreached ", null), Editor)
            .Events.ShouldHaveSingleItem().ShouldBe(new VerdictWithdrawn(ClaimId, "overreached", Editor.Now, "desk-editor"));

    [Fact]
    public void withdrawing_without_a_verdict_in_force_is_refused()
    {
        WithdrawVerdictEndpoint.Decide(Given(), new WithdrawVerdict("overreached", null), Editor).Problem
            .FieldErrors().Keys.ShouldBe(["claimId"]);
        WithdrawVerdictEndpoint.Decide(Given(Ruled(Verdict.False, Day(23)), Withdrawn(Day(24))), new WithdrawVerdict("again", null), Editor)
            .Problem.ShouldNotBeNull();
    }

    [Fact]
    public void a_retracted_claim_refuses_a_withdrawal_like_other_writes() =>
        Guards.Check(Given(Ruled(Verdict.False, Day(22)), Retracted(Day(23))), new WithdrawVerdict("overreached", null))
            .ShouldNotBeNull().Status.ShouldBe(400);

    [Fact]
    public void withdrawal_lifts_the_override_and_the_derivation_resumes_from_then()
    {
        var facts = Facts(Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.False, Day(23)), Withdrawn(Day(25)));

        ConfirmationStatus.At(facts).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
        ConfirmationStatus.At(facts, Day(24)).Status.ShouldBe(ClaimStatus.Refuted);
        ConfirmationStatus.Timeline(facts).Select(i => (i.From, i.Status, i.BecauseOf)).ShouldBe([
            (FirstReported, ClaimStatus.Unconfirmed, 1L),
            (Day(21), ClaimStatus.PartiallyConfirmed, 2L),
            (Day(23), ClaimStatus.Refuted, 3L),
            (Day(25), ClaimStatus.PartiallyConfirmed, 4L),
        ]);
        Given(Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.False, Day(23)), Withdrawn(Day(25))).Status
            .ShouldBe(ClaimStatus.PartiallyConfirmed);
    }

    [Fact]
    public void a_statement_said_after_the_withdrawal_moves_the_status_again() =>
        StatusOf(Ruled(Verdict.Confirmed, Day(21)), Withdrawn(Day(22)), Said(Russia, Stance.Denies, Day(23)))
            .ShouldBe(ClaimStatus.Denied);

    [Fact]
    public void a_withdrawal_does_not_lift_a_retraction() =>
        StatusOf(Ruled(Verdict.False, Day(21)), Retracted(Day(22)), Withdrawn(Day(23))).ShouldBe(ClaimStatus.Retracted);

    [Fact]
    public void a_verdict_given_after_a_withdrawal_overrides_again() =>
        StatusOf(Ruled(Verdict.False, Day(21)), Withdrawn(Day(22)), Ruled(Verdict.Misleading, Day(23))).ShouldBe(ClaimStatus.Misleading);

    [Fact]
    public void the_fact_rows_of_a_withdrawal_give_the_facts_the_events_give()
    {
        object[] events = [Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.False, Day(23)), Withdrawn(Day(25))];
        var rows = ClaimFact.Rows(Stored(events)).ToList();

        var withdrawal = rows.Single(r => r.ClaimVersion == 4);
        (withdrawal.WithdrawsVerdict, withdrawal.Ruling, withdrawal.IsStatement, withdrawal.At).ShouldBe((true, null, false, Day(25)));
        var fromRows = new ClaimFacts([Russia, NorthKorea], FirstReported,
            rows.Where(r => r.IsStatement).Select(r => r.Statement()).ToArray(),
            rows.Where(r => !r.IsStatement).Select(r => new Ruling(r.ClaimVersion, r.Ruling, r.At)).ToArray());
        fromRows.Rulings.ShouldBe(Facts(events).Rulings);
        ConfirmationStatus.Timeline(fromRows).ShouldBe(ConfirmationStatus.Timeline(Facts(events)));
    }

    [Fact]
    public void a_withdrawal_cannot_be_corrected_as_if_it_were_a_statement() =>
        Correct(new CorrectClaim("typo", null, 3, "denies", null, null, null), Ruled(Verdict.False, Day(23)), Withdrawn(Day(25)))
            .Problem.FieldErrors().Keys.ShouldBe(["correctsVersion"]);
}
