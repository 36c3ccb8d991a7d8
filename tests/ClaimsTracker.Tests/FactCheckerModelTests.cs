using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using ClaimsTracker.Sources;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

/// <summary>Party aliases, not_confirmed, quote kinds and re-attributing corrections, decided and folded without a database.</summary>
public sealed class FactCheckerModelTests
{
    private static readonly PartyDirectory Registry = PartyDirectory.Of([
        new Party(Guid.NewGuid(), Russia, ["Russian Federation", "Moscow", "Kremlin"], "Q159", 1),
        new Party(Guid.NewGuid(), NorthKorea, ["DPRK", "Democratic People's Republic of Korea", "Pyongyang"], "Q423", 1),
        new Party(Guid.NewGuid(), "South Korea", ["Republic of Korea", "ROK", "Seoul"], "Q884", 1)]);

    private static readonly DecisionContext Desk = Editor with { Parties = Registry };

    private static RecordStatement Statement(string? party, string stance = "confirms", string? quoteKind = null) => new(
        new SourceInput("Dmitry Peskov", "Kremlin spokesperson", party), stance, "We confirm.", Day(21), null, null, quoteKind);

    private static StatementRecorded Recorded(Claim claim, RecordStatement command) =>
        RecordStatementEndpoint.Decide(claim, command, Desk).Events.ShouldHaveSingleItem().ShouldBeOfType<StatementRecorded>();

    private static CorrectClaim Reattribution(long version, string? party, string name = "Kim Yo Jong", string? stance = null) =>
        new("misattributed", null, version, stance, null, null, null, new SourceInput(name, "official", party));

    [Theory]
    [InlineData("Kremlin", Russia)]
    [InlineData("  kremlin ", Russia)]
    [InlineData("DPRK", NorthKorea)]
    [InlineData("democratic   people's republic of korea", NorthKorea)]
    public void a_statement_under_any_name_or_alias_counts_for_the_involved_party(string spelled, string party)
    {
        var recorded = Recorded(Given(), Statement(spelled));

        recorded.Source.Party.ShouldBe(party);
        Given(recorded).LatestOf(party).ShouldNotBeNull().Stance.ShouldBe(Stance.Confirms);
    }

    [Fact]
    public void a_statement_under_an_alias_of_a_party_the_claim_does_not_involve_is_a_third_partys_under_its_canonical_name()
    {
        var recorded = Recorded(Given(), Statement(" rok "));

        recorded.Source.Party.ShouldBe("South Korea");
        Given(recorded).Status.ShouldBe(ClaimStatus.Unconfirmed);
    }

    [Fact]
    public void a_name_the_registry_does_not_know_keeps_its_own_trimmed_spelling() =>
        Recorded(Given(), Statement("  Wagner Group ")).Source.Party.ShouldBe("Wagner Group");

    [Fact]
    public void a_claim_registered_under_aliases_involves_the_canonical_parties_once_each()
    {
        var command = new RegisterClaim("Putin gave Kim an Aurus Senat", ["Kremlin", "Russia", " dprk "], null,
            new ArticleInput("Reuters", "https://reuters.com/a", null, Day(20)));

        RegisterClaimEndpoint.Decide(ClaimId, command, Desk).Parties.ShouldBe([Russia, NorthKorea]);
    }

    [Fact]
    public void a_claim_registered_under_an_alias_before_the_registry_knew_it_still_counts_the_partys_statements()
    {
        var claim = GivenClaim(Registered("Kremlin", "DPRK"));

        Recorded(claim, Statement("Russia")).Source.Party.ShouldBe("Kremlin");
    }

    [Fact]
    public void not_confirmed_leaves_the_party_open_and_keeps_the_latest_report_with_its_date()
    {
        var earlier = Said(Russia, Stance.NotConfirmed, Day(21));
        var later = Said(Russia, Stance.NotConfirmed, Day(23));
        var confirms = Said(NorthKorea, Stance.Confirms, Day(22));

        var claim = Given(later, confirms, earlier);

        claim.Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
        var russia = claim.Positions.Single(p => p.Party == Russia);
        russia.Stance.ShouldBe(PartyStance.Open);
        russia.NotConfirmed.ShouldNotBeNull().StatedAt.ShouldBe(Day(23));
        ConfirmationStatus.At(Facts(later, confirms, earlier)).Parties.Single(p => p.Party == Russia).NotConfirmed!.Version.ShouldBe(2);
        ConfirmationStatus.At(Facts(later, confirms, earlier), Day(22)).Parties.Single(p => p.Party == Russia).NotConfirmed!.Version.ShouldBe(4);
    }

    [Fact]
    public void not_confirmed_after_a_confirmation_leaves_the_confirmation_standing() =>
        Given(Said(Russia, Stance.Confirms, Day(21)), Said(Russia, Stance.NotConfirmed, Day(22))).Positions[0].Stance.ShouldBe(PartyStance.Confirms);

    [Fact]
    public void a_statement_is_direct_unless_marked_a_paraphrase()
    {
        Recorded(Given(), Statement(Russia)).QuoteKind.ShouldBe(QuoteKind.Direct);
        var paraphrase = Recorded(Given(), Statement(Russia, quoteKind: "Paraphrase"));

        paraphrase.QuoteKind.ShouldBe(QuoteKind.Paraphrase);
        Given(paraphrase).LatestOf(Russia)!.QuoteKind.ShouldBe(QuoteKind.Paraphrase);
    }

    [Fact]
    public void events_stored_before_quote_kinds_and_re_attribution_read_as_direct_and_unchanged_sources()
    {
        var statement = JsonSerializer.Deserialize<StatementRecorded>("""
            {"claimId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","source":{"name":"KCNA","role":null,"party":"North Korea"},
             "stance":"confirms","quote":"q","statedAt":"2024-02-21T00:00:00Z","reportedIn":null,"recordedBy":"desk"}
            """, Json.Options)!;
        var correction = JsonSerializer.Deserialize<ClaimCorrected>("""
            {"claimId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","reason":"r","correctsVersion":2,"sourceName":"KCNA","statement":null,
             "stance":"denies","statedAt":null,"quote":null,"correctedAt":"2024-02-27T00:00:00Z","recordedBy":"desk"}
            """, Json.Options)!;

        statement.QuoteKind.ShouldBe(QuoteKind.Direct);
        (correction.Source, correction.QuoteKind, correction.Standings).ShouldBe((null, null, null));
        Given(statement, correction).Status.ShouldBe(ClaimStatus.Denied);
    }

    [Fact]
    public void a_re_attribution_moves_a_statement_from_a_third_party_to_an_involved_party_and_back()
    {
        object[] history = [Said(null, Stance.Confirms, Day(21), "Reuters"), Said(NorthKorea, Stance.Confirms, Day(22))];
        Given(history).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);

        var toRussia = Correct(Reattribution(2, "Kremlin", "Dmitry Peskov"), Registry, history).Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();
        toRussia.Source.ShouldBe(new Source("Dmitry Peskov", "official", Russia));
        toRussia.SourceName.ShouldBe("Reuters");
        toRussia.Standings!.Select(s => (s.Party, s.Latest?.Version)).ShouldBe([(Russia, 2L)]);
        object[] moved = [.. history, toRussia];
        Given(moved).Status.ShouldBe(ClaimStatus.Confirmed);
        StatusOf(moved).ShouldBe(ClaimStatus.Confirmed);

        var back = Correct(Reattribution(2, null, "Reuters"), Registry, moved).Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();
        back.Standings!.Select(s => (s.Party, s.Latest?.Version)).ShouldBe([(Russia, (long?)null)]);
        Given([.. moved, back]).Status.ShouldBe(ClaimStatus.PartiallyConfirmed);
        StatusOf([.. moved, back]).ShouldBe(ClaimStatus.PartiallyConfirmed);
    }

    [Fact]
    public void a_re_attribution_between_involved_parties_leaves_the_old_party_its_word_before_and_gives_the_new_one_this()
    {
        object[] history = [Said(Russia, Stance.Denies, Day(21)), Said(Russia, Stance.Confirms, Day(22))];

        var corrected = Correct(Reattribution(3, "DPRK"), Registry, history).Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();

        corrected.Standings!.Select(s => (s.Party, s.Latest?.Version, s.Latest?.Stance)).ShouldBe(
            [(Russia, 2L, Stance.Denies), (NorthKorea, 3L, Stance.Confirms)]);
        Given([.. history, corrected]).Status.ShouldBe(ClaimStatus.Disputed);
        StatusOf([.. history, corrected]).ShouldBe(ClaimStatus.Disputed);
    }

    [Fact]
    public void a_re_attributed_not_confirmed_report_moves_to_the_other_party()
    {
        object[] history = [Said(Russia, Stance.NotConfirmed, Day(21))];

        var corrected = Correct(Reattribution(2, NorthKorea), Registry, history).Events.ShouldHaveSingleItem();
        var claim = Given([.. history, corrected]);

        claim.NotConfirmedOf(Russia).ShouldBeNull();
        claim.NotConfirmedOf(NorthKorea).ShouldNotBeNull().Version.ShouldBe(2);
    }

    [Fact]
    public void fact_rows_and_source_statements_follow_a_re_attribution_and_a_quote_kind_correction()
    {
        object[] history = [Said(null, Stance.Asserts, Day(21), "Reuters")];
        var corrected = (Correct(Reattribution(2, "Pyongyang", "KCNA"), Registry, history).Events.ShouldHaveSingleItem()
            as ClaimCorrected)! with { QuoteKind = QuoteKind.Paraphrase };
        var stored = Stored([.. history, corrected]);

        var row = ClaimFact.Rows(stored).ShouldHaveSingleItem();
        (row.Party, row.SourceName, row.QuoteKind).ShouldBe((NorthKorea, "KCNA", QuoteKind.Paraphrase));

        var said = stored.Aggregate((SourceStatement?)null, (s, e) => SourceStatementProjection.IdOf(e) is null ? s : SourceStatementProjection.Apply(s, e))!;
        (said.SourceId, said.Party, said.QuoteKind).ShouldBe(("kcna", NorthKorea, QuoteKind.Paraphrase));
        SourceProfileProjection.IdsOf(corrected).ShouldBe(["kcna"]);
    }

    [Fact]
    public void a_statement_with_an_unknown_quote_kind_names_the_field() =>
        RecordStatementEndpoint.Validate(Statement(Russia, quoteKind: "verbatim"), new FixedClock(Day(28)))
            .ShouldNameOnly("quoteKind", "must be one of: direct, paraphrase");

    [Fact]
    public void a_re_attribution_needs_the_sources_name_and_the_statements_version()
    {
        var problem = CorrectClaimEndpoint.Validate(
            new CorrectClaim("misattributed", null, null, null, null, null, null, new SourceInput(" ", null, "Russia"), "quoted"),
            new FixedClock(Day(28)));

        problem.FieldErrors().Keys.Order().ShouldBe(["correctsVersion", "quoteKind", "source.name"]);
    }
}
