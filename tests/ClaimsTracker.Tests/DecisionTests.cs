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

    private static void ShouldRefuseBecauseRetracted(Decision decision)
    {
        decision.Events.ShouldBeEmpty();
        decision.Problem.FieldErrors().Keys.ShouldBe(["claimId"]);
        decision.Problem!.FieldErrors()["claimId"].ShouldHaveSingleItem().ShouldContain("retracted");
    }

    [Fact]
    public void statement_on_a_retracted_claim_is_refused_with_a_400_problem() =>
        ShouldRefuseBecauseRetracted(RecordStatementEndpoint.Decide(Given(Retracted(Day(23))), Statement(Russia), Editor));

    [Fact]
    public void verdict_on_a_retracted_claim_is_refused() =>
        ShouldRefuseBecauseRetracted(GiveVerdictEndpoint.Decide(Given(Retracted(Day(23))), new GiveVerdict("false", "fabricated", null), Editor));

    [Fact]
    public void evidence_on_a_retracted_claim_is_refused() =>
        ShouldRefuseBecauseRetracted(AttachEvidenceEndpoint.Decide(
            Given(Retracted(Day(23))), new AttachEvidence("photo", null, "trucks", "supports", Day(22), null), Editor));

    [Fact]
    public void report_on_a_retracted_claim_is_refused() =>
        ShouldRefuseBecauseRetracted(ReportClaimEndpoint.Decide(
            Given(Retracted(Day(23))), new ReportClaim("AP", "https://apnews.com/x", "Again", Day(22), null), Editor));

    [Fact]
    public void second_retraction_is_refused() =>
        ShouldRefuseBecauseRetracted(RetractClaimEndpoint.Decide(Given(Retracted(Day(23))), new RetractClaim("again", null), Editor));

    [Fact]
    public void claim_corrected_after_its_retraction_still_refuses_statements() =>
        ShouldRefuseBecauseRetracted(RecordStatementEndpoint.Decide(
            Given(Retracted(Day(23)), CorrectedText("corrected text")), Statement(Russia), Editor));

    [Fact]
    public void correction_of_a_retracted_claim_is_still_accepted()
    {
        var decision = CorrectClaimEndpoint.Decide(
            Given(Said(Russia, Stance.Confirms, Day(21)), Retracted(Day(23))), StanceCorrection(2, "denies"), Editor);

        decision.Problem.ShouldBeNull();
        decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>().Stance.ShouldBe(Stance.Denies);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(99)]
    public void correction_targeting_a_version_that_is_not_a_statement_is_refused(long version)
    {
        var claim = Given(Said(Russia, Stance.Confirms, Day(21)), Ruled(Verdict.Misleading, Day(22)));

        var decision = CorrectClaimEndpoint.Decide(claim, StanceCorrection(version, "denies"), Editor);

        decision.Events.ShouldBeEmpty();
        decision.Problem.FieldErrors()["correctsVersion"].ShouldBe([$"version {version} of this claim is not a recorded statement"]);
    }

    [Fact]
    public void correction_of_a_third_party_statement_is_accepted_and_leaves_the_status()
    {
        var said = Said(null, Stance.Asserts, Day(21), "Reuters");
        var claim = Given(said);

        var decision = CorrectClaimEndpoint.Decide(claim, StanceCorrection(2, "confirms"), Editor);

        decision.Problem.ShouldBeNull();
        StatusOf(said, decision.Events.ShouldHaveSingleItem()).ShouldBe(ClaimStatus.Unconfirmed);
    }

    [Fact]
    public void correcting_a_statements_stance_changes_the_status_once_folded()
    {
        object[] said = [Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Confirms, Day(22))];
        var claim = Given(said);
        StatusOf(said).ShouldBe(ClaimStatus.Confirmed);

        var decision = CorrectClaimEndpoint.Decide(claim, StanceCorrection(3, " Denies "), Editor);
        var corrected = decision.Events.Aggregate(claim, (state, e) => state.Then(e));

        corrected.Version.ShouldBe(4);
        StatusOf([.. said, .. decision.Events]).ShouldBe(ClaimStatus.Disputed);
    }

    [Fact]
    public void correction_of_the_claim_text_records_it_and_leaves_the_status()
    {
        var said = Said(Russia, Stance.Denies, Day(21));
        var claim = Given(said);

        var decision = CorrectClaimEndpoint.Decide(
            claim, new CorrectClaim(" typo ", " North Korea has supplied missiles to Russia ", null, null, null, null, null), Editor);

        var corrected = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();
        corrected.ShouldBe(new ClaimCorrected(
            ClaimId, "typo", null, null, "North Korea has supplied missiles to Russia", null, null, null, Editor.Now, "desk-editor"));
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
        var after = claim.Then(recorded);

        after.Version.ShouldBe(3);
        after.Statements.Select(st => st.Version).ShouldBe([2L, 3L]);
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
        var after = claim.Then(retraction);
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
            () => claim.Statements.ShouldBeEmpty(),
            () => Facts().Since.ShouldBe(FirstReported));
    }

    [Fact]
    public void snapshot_stored_when_the_claim_kept_a_copy_of_the_facts_reads_its_parties_from_them()
    {
        var stored = $$"""
            {"id": "{{ClaimId}}", "facts": {"since": "2024-02-20T00:00:00+00:00", "parties": ["Russia", "North Korea"],
             "rulings": [], "statements": []}, "status": "unconfirmed", "version": 1, "retracted": false, "statements": []}
            """;

        var claim = System.Text.Json.JsonSerializer.Deserialize<Claim>(stored, Json.Options)!;

        claim.ShouldSatisfyAllConditions(
            () => claim.Parties.ShouldBe([Russia, NorthKorea]),
            () => claim.InvolvedParty(" russia ").ShouldBe(Russia),
            () => System.Text.Json.JsonSerializer.Serialize(claim, Json.Options).ShouldNotContain("facts"));
    }

    [Fact]
    public void every_folded_event_takes_the_next_version_and_only_statements_are_correctable()
    {
        var claim = Given(
            Reported(Day(21)), Said(null, Stance.Asserts, Day(21)), Evidence(Bearing.Supports, Day(21)),
            Said(Russia, Stance.Confirms, Day(22)), Ruled(Verdict.Unproven, Day(23)), CorrectedText("text"));

        claim.Version.ShouldBe(7);
        claim.Statements.Select(st => st.Version).ShouldBe([3L, 5L]);
    }
}
