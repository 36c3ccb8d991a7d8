using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public class DecisionTests
{
    private static RecordStatement Statement(string? party, string stance = "confirms", string name = " Dmitry Peskov ") => new(
        new SourceInput(name, " Kremlin spokesperson ", party), stance, " We confirm. ",
        new DateTimeOffset(2024, 2, 21, 12, 0, 0, TimeSpan.FromHours(3)), null, null);

    private static CorrectClaim StanceCorrection(long version, string stance) =>
        new("misheard the answer", null, version, stance, null, null, null);

    private static StatementRecorded OnlyStatement(Decision decision)
    {
        decision.Problem.ShouldBeNull();
        return decision.Events.ShouldHaveSingleItem().ShouldBeOfType<StatementRecorded>();
    }

    private static void ShouldRefuseBecauseRetracted(Microsoft.AspNetCore.Mvc.ProblemDetails? problem)
    {
        problem.FieldErrors().Keys.ShouldBe(["claimId"]);
        problem!.FieldErrors()["claimId"].ShouldHaveSingleItem().ShouldContain("retracted");
    }

    [Fact]
    public void statement_on_a_retracted_claim_is_refused_with_a_400_problem() =>
        ShouldRefuseBecauseRetracted(Guards.Check(Given(Retracted(Day(23))), Statement(Russia)));

    [Fact]
    public void verdict_on_a_retracted_claim_is_refused() =>
        ShouldRefuseBecauseRetracted(Guards.Check(Given(Retracted(Day(23))), new GiveVerdict("false", "fabricated", null)));

    [Fact]
    public void evidence_on_a_retracted_claim_is_refused() =>
        ShouldRefuseBecauseRetracted(Guards.Check(
            Given(Retracted(Day(23))), new AttachEvidence("photo", null, "trucks", "supports", Day(22), null)));

    [Fact]
    public void report_on_a_retracted_claim_is_refused() =>
        ShouldRefuseBecauseRetracted(Guards.Check(
            Given(Retracted(Day(23))), new ReportClaim("AP", "https://apnews.com/x", "Again", Day(22), null)));

    [Fact]
    public void second_retraction_is_refused() =>
        ShouldRefuseBecauseRetracted(Guards.Check(Given(Retracted(Day(23))), new RetractClaim("again", null)));

    [Fact]
    public void claim_corrected_after_its_retraction_still_refuses_statements() =>
        ShouldRefuseBecauseRetracted(Guards.Check(Given(Retracted(Day(23)), CorrectedText("corrected text")), Statement(Russia)));

    [Fact]
    public void a_stale_expected_version_is_refused_with_a_409_naming_both_versions()
    {
        var problem = Guards.Check(Given(Said(Russia, Stance.Confirms, Day(21))), new GiveVerdict("false", "fabricated", 1));

        problem.ShouldNotBeNull().Status.ShouldBe(409);
        Guards.Check(Given(Said(Russia, Stance.Confirms, Day(21))), new GiveVerdict("false", "fabricated", 2)).ShouldBeNull();
    }

    [Fact]
    public void correction_of_a_retracted_claim_is_still_accepted()
    {
        object[] history = [Said(Russia, Stance.Confirms, Day(21)), Retracted(Day(23))];
        Guards.Check(Given(history), StanceCorrection(2, "denies")).ShouldBeNull();
        var decision = Correct(StanceCorrection(2, "denies"), history);

        decision.Problem.ShouldBeNull();
        decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>().Stance.ShouldBe(Stance.Denies);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(99)]
    public void correction_targeting_a_version_that_is_not_a_statement_is_refused(long version)
    {
        var decision = Correct(StanceCorrection(version, "denies"), Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.Misleading, Day(22)));

        decision.Events.ShouldBeEmpty();
        decision.Problem.FieldErrors()["correctsVersion"].ShouldBe([$"version {version} of this claim is not a recorded statement"]);
    }

    [Fact]
    public void correction_of_a_third_party_statement_is_accepted_and_leaves_the_status()
    {
        var said = Said(null, Stance.Asserts, Day(21), "Reuters");

        var decision = Correct(StanceCorrection(2, "confirms"), said);

        decision.Problem.ShouldBeNull();
        StatusOf(said, decision.Events.ShouldHaveSingleItem()).ShouldBe(ClaimStatus.Unconfirmed);
    }

    [Fact]
    public void correcting_a_statements_stance_changes_the_status_once_folded()
    {
        object[] said = [Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Confirms, Day(22))];
        var claim = Given(said);
        StatusOf(said).ShouldBe(ClaimStatus.Confirmed);

        var decision = Correct(StanceCorrection(3, " Denies "), said);
        var corrected = claim.Then(4, decision.Events.ShouldHaveSingleItem());

        corrected.Version.ShouldBe(4);
        corrected.Status.ShouldBe(ClaimStatus.Disputed);
        StatusOf([.. said, .. decision.Events]).ShouldBe(ClaimStatus.Disputed);
    }

    [Fact]
    public void correction_of_the_claim_text_records_it_and_leaves_the_status()
    {
        var said = Said(Russia, Stance.Denies, Day(21));

        var decision = Correct(new CorrectClaim(" typo ", " North Korea has supplied missiles to Russia ", null, null, null, null, null), said);

        var corrected = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();
        (corrected with { Standings = null }).ShouldBe(new ClaimCorrected(
            ClaimId, "typo", null, null, "North Korea has supplied missiles to Russia", null, null, null, Editor.Now, "desk-editor"));
        corrected.Standings.ShouldBeEmpty();
        StatusOf(said, corrected).ShouldBe(ClaimStatus.Denied);
    }

    [Fact]
    public void statement_party_is_normalised_to_the_claims_spelling() =>
        OnlyStatement(RecordStatementEndpoint.Decide(Given(), Statement("  north korea "), Editor)).Source.Party.ShouldBe(NorthKorea);

    [Fact]
    public void statement_party_the_claim_does_not_involve_keeps_its_own_spelling_trimmed() =>
        OnlyStatement(RecordStatementEndpoint.Decide(Given(), Statement(" South Korea "), Editor)).Source.Party.ShouldBe("South Korea");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void statement_with_a_blank_party_is_by_a_third_party(string? party) =>
        OnlyStatement(RecordStatementEndpoint.Decide(Given(), Statement(party), Editor)).Source.Party.ShouldBeNull();

    [Fact]
    public void statement_records_the_trimmed_source_stance_world_time_in_utc_and_author()
    {
        var recorded = OnlyStatement(RecordStatementEndpoint.Decide(Given(), Statement("russia", " DECLINES_TO_COMMENT"), Editor));

        recorded.ShouldBe(new StatementRecorded(
            ClaimId, new Source("Dmitry Peskov", "Kremlin spokesperson", Russia), Stance.DeclinesToComment, "We confirm.",
            new DateTimeOffset(2024, 2, 21, 9, 0, 0, TimeSpan.Zero), null, "desk-editor"));
        recorded.StatedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void recorded_statement_moves_the_status_once_folded()
    {
        var said = Said(NorthKorea, Stance.Denies, Day(21));
        var claim = Given(said);

        var recorded = OnlyStatement(RecordStatementEndpoint.Decide(claim, Statement("RUSSIA"), Editor));
        var after = claim.Then(3, recorded);

        after.Version.ShouldBe(3);
        after.Positions.Select(p => (p.Party, p.Stance, p.Because?.Version)).ShouldBe([(Russia, PartyStance.Confirms, 3L), (NorthKorea, PartyStance.Denies, 2L)]);
        after.Status.ShouldBe(ClaimStatus.Disputed);
        StatusOf(said, recorded).ShouldBe(ClaimStatus.Disputed);
    }

    [Fact]
    public void verdict_is_given_now_by_the_editor_and_overrides_the_status()
    {
        var said = Said(Russia, Stance.Confirms, Day(21));
        var claim = Given(said);

        var decision = GiveVerdictEndpoint.Decide(claim, new GiveVerdict("FALSE", " fabricated footage ", 2), Editor);

        var verdict = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<VerdictGiven>();
        verdict.ShouldBe(new VerdictGiven(ClaimId, Verdict.False, "fabricated footage", Editor.Now, "desk-editor"));
        StatusOf(said, verdict).ShouldBe(ClaimStatus.Refuted);
    }

    [Fact]
    public void retraction_is_recorded_now_and_ends_the_claim()
    {
        var said = Said(Russia, Stance.Confirms, Day(21));
        var claim = Given(said);

        var decision = RetractClaimEndpoint.Decide(claim, new RetractClaim(" the outlet withdrew it ", null), Editor);

        var retraction = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimRetracted>();
        retraction.ShouldBe(new ClaimRetracted(ClaimId, "the outlet withdrew it", Editor.Now, "desk-editor"));
        var after = claim.Then(3, retraction);
        after.Retracted.ShouldBeTrue();
        StatusOf(said, retraction).ShouldBe(ClaimStatus.Retracted);
    }

    [Fact]
    public void evidence_records_its_bearing_and_world_time_in_utc()
    {
        var observed = new DateTimeOffset(2024, 2, 22, 8, 0, 0, TimeSpan.FromHours(9));

        var decision = AttachEvidenceEndpoint.Decide(
            Given(), new AttachEvidence(" satellite image ", " https://example.org/a.png ", " rail cars ", "Refutes", observed, null), Editor);

        decision.Events.ShouldHaveSingleItem().ShouldBe(new EvidenceAttached(
            ClaimId, "satellite image", "https://example.org/a.png", "rail cars", Bearing.Refutes,
            new DateTimeOffset(2024, 2, 21, 23, 0, 0, TimeSpan.Zero), "desk-editor"));
    }

    [Fact]
    public void report_records_the_further_article()
    {
        var decision = ReportClaimEndpoint.Decide(
            Given(), new ReportClaim(" AP ", "https://apnews.com/x", " Missiles again ", Day(22), null), Editor);

        decision.Events.ShouldHaveSingleItem().ShouldBe(new ClaimReported(
            ClaimId, new Article("AP", "https://apnews.com/x", "Missiles again", Day(22)), "desk-editor"));
    }

    [Fact]
    public void registration_trims_and_merges_parties_spelled_alike_and_lowercases_topics()
    {
        var command = new RegisterClaim(
            " Putin gave Kim an Aurus Senat limousine ", [" Russia", "North Korea", "russia "], ["Sanctions", " GIFTS ", "sanctions"],
            new ArticleInput(" Reuters ", "https://reuters.com/a", null, new DateTimeOffset(2024, 2, 20, 3, 0, 0, TimeSpan.FromHours(3))));

        var registered = RegisterClaimEndpoint.Decide(ClaimId, command, Editor);

        registered.Statement.ShouldBe("Putin gave Kim an Aurus Senat limousine");
        registered.Parties.ShouldBe([Russia, NorthKorea]);
        registered.Topics.ShouldBe(["sanctions", "gifts"]);
        registered.FirstReport.ShouldBe(new Article("Reuters", "https://reuters.com/a", null, FirstReported));
        registered.RecordedBy.ShouldBe("desk-editor");
    }

    [Fact]
    public void registered_claim_starts_at_version_one_unconfirmed_and_not_retracted()
    {
        var claim = Claim.Create(Registered());

        claim.ShouldSatisfyAllConditions(
            () => claim.Id.ShouldBe(ClaimId),
            () => claim.Version.ShouldBe(1),
            () => claim.Parties.ShouldBe([Russia, NorthKorea]),
            () => ConfirmationStatus.At(Facts()).Status.ShouldBe(ClaimStatus.Unconfirmed),
            () => claim.Retracted.ShouldBeFalse(),
            () => claim.Latest.ShouldBe([null, null]),
            () => Facts().Since.ShouldBe(FirstReported));
    }

    [Fact]
    public void summary_stored_before_it_kept_the_latest_words_reads_them_from_its_positions()
    {
        var stored = $$"""
            {"id": "{{ClaimId}}", "parties": ["Russia", "North Korea"], "status": "partially_confirmed", "version": 2,
             "positions": [{"party": "Russia", "stance": "confirms", "because": {"version": 2, "party": "Russia", "stance": "confirms",
               "statedAt": "2024-02-21T12:00:00+00:00", "sourceName": "Peskov", "quote": null} }, {"party": "North Korea", "stance": "open"}],
             "facts": {"since": "2024-02-20T00:00:00+00:00", "parties": ["Russia", "North Korea"], "rulings": [], "statements": []} }
            """;

        var claim = System.Text.Json.JsonSerializer.Deserialize<ClaimSummary>(stored, Json.Options)!.State;

        claim.ShouldSatisfyAllConditions(
            () => claim.Parties.ShouldBe([Russia, NorthKorea]),
            () => claim.Status.ShouldBe(ClaimStatus.PartiallyConfirmed),
            () => claim.Then(3, Said(NorthKorea, Stance.Confirms, Day(22))).Status.ShouldBe(ClaimStatus.Confirmed));
    }

    [Fact]
    public void every_folded_event_takes_the_next_version_and_the_claim_keeps_only_each_partys_latest_word()
    {
        var claim = Given(
            Reported(Day(21)), Said(null, Stance.Asserts, Day(21)), Evidence(Bearing.Supports, Day(21)),
            Said(Russia, Stance.Confirms, Day(22)), Said(Russia, Stance.Denies, Day(20)), Ruled(Verdict.Unproven, Day(23)),
            CorrectedText("text"));

        claim.Version.ShouldBe(8);
        claim.Latest.Select(l => l?.Version).ShouldBe([5L, null]);
        claim.Status.ShouldBe(ClaimStatus.Unconfirmed);
    }
}
