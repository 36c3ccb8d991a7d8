using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

/// <summary>Corrections of the claim's parties, of evidence and of a report's article, decided and folded without a database.</summary>
public sealed class EventCorrectionTests
{
    private static readonly PartyDirectory Registry = PartyDirectory.Of([
        new Party(Guid.NewGuid(), Russia, ["Kremlin"], "Q159", 1),
        new Party(Guid.NewGuid(), NorthKorea, ["DPRK"], "Q423", 1),
        new Party(Guid.NewGuid(), "South Korea", ["Seoul"], "Q884", 1)]);

    private static readonly FixedClock Clock = new(Day(28));

    private static CorrectClaim Parties(params string[] parties) =>
        new("the wrong parties were named", null, null, null, null, null, null, Parties: parties);

    private static ClaimSummary? Summary(params object[] events) =>
        Stored(events).Aggregate((ClaimSummary?)null, ClaimSummaryProjection.Fold);

    [Fact]
    public void a_party_that_joins_the_claim_brings_its_earlier_words_and_the_status_is_derived_again()
    {
        object[] history = [Said(Russia, Stance.Confirms, Day(21)), Said("South Korea", Stance.Confirms, Day(22)), Said(NorthKorea, Stance.Denies, Day(23))];
        Given(history).Status.ShouldBe(ClaimStatus.Disputed);

        var corrected = Correct(Parties("Kremlin", "Seoul"), Registry, history).Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();

        corrected.Parties.ShouldBe([Russia, "South Korea"]);
        corrected.Standings!.Select(s => (s.Party, s.Latest?.Version)).ShouldBe([(Russia, 2L), ("South Korea", 3L)]);
        object[] after = [.. history, corrected];
        Given(after).Status.ShouldBe(ClaimStatus.Confirmed);
        StatusOf(after).ShouldBe(ClaimStatus.Confirmed);
        Facts(after).Others!.Select(s => s.Version).ShouldBe([4L]);
        var summary = Summary(after)!;
        summary.Parties.ShouldBe([Russia, "South Korea"]);
        summary.Status.ShouldBe(ClaimStatus.Confirmed);
        summary.Positions.Select(p => (p.Party, p.Because?.Version)).ShouldBe([(Russia, 2L), ("South Korea", 3L)]);
    }

    [Fact]
    public void a_party_dropped_from_the_claim_no_longer_moves_the_status_and_statements_after_count_for_the_new_parties()
    {
        object[] history = [Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Denies, Day(22))];

        var corrected = Correct(Parties(Russia), Registry, history).Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();
        object[] after = [.. history, corrected, Said(NorthKorea, Stance.Denies, Day(24))];

        Given(after).Status.ShouldBe(ClaimStatus.Confirmed);
        StatusOf(after).ShouldBe(ClaimStatus.Confirmed);
        Summary(after)!.Parties.ShouldBe([Russia]);
    }

    [Fact]
    public void the_same_parties_again_are_refused() =>
        Correct(Parties("kremlin", "DPRK"), Registry, Said(Russia, Stance.Confirms, Day(21))).Problem
            .ShouldNameOnly("parties", "are already the claim's parties; list the parties the claim should involve");

    [Fact]
    public void a_correction_of_evidence_or_a_report_must_name_an_event_of_that_kind()
    {
        var evidence = new CorrectClaim("wrong link", null, 2, null, null, null, null, Url: "https://example.org/right.png");
        var article = new CorrectClaim("wrong outlet", null, 2, null, null, null, null,
            Article: new ArticleInput("AP", null, null, "2024-02"));
        var claim = Given(Said(Russia, Stance.Confirms, Day(21)));

        new CorrectClaim.Resolved(evidence, null, Besides.None) { Event = Said(Russia, Stance.Confirms, Day(21)) }.Decide(claim, Editor).Problem
            .ShouldNameOnly("correctsVersion", "version 2 of this claim is not attached evidence");
        new CorrectClaim.Resolved(article, null, Besides.None) { Event = Evidence(Bearing.Supports, Day(21)) }.Decide(claim, Editor).Problem
            .ShouldNameOnly("correctsVersion", "version 2 of this claim is not a report");
    }

    [Fact]
    public void a_corrected_first_report_moves_the_summary_and_the_start_of_the_timeline()
    {
        var corrected = new CorrectClaim.Resolved(
            new CorrectClaim("it ran a day earlier", null, 1, null, null, null, null, Article: new ArticleInput("Reuters", null, "Missiles", "2024-02-19")),
            null, Besides.None) { Event = Registered() }.Decide(Given(), Editor).Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();

        corrected.Article.ShouldBe(new Article("Reuters", null, "Missiles", Day(19, 0), TimePrecision.Day));
        Summary(corrected)!.FirstReport.ShouldBe(corrected.Article);
        Facts(corrected).Since.ShouldBe(Day(19, 0));
        ConfirmationStatus.Timeline(Facts(corrected))[0].From.ShouldBe(Day(19, 0));
    }

    [Fact]
    public void a_corrected_evidence_item_keeps_the_status_and_the_counts()
    {
        object[] history = [Evidence(Bearing.Supports, Day(21)), Said(Russia, Stance.Confirms, Day(21))];
        var corrected = new CorrectClaim.Resolved(
            new CorrectClaim("wrong picture", null, 2, null, null, null, null, Url: "https://example.org/right.png", Description: "rail cars at the port"),
            null, Besides.None) { Event = history[0] }.Decide(Given(history), Editor).Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimCorrected>();

        (corrected.Url, corrected.Description, corrected.ChangesStatement).ShouldBe(("https://example.org/right.png", "rail cars at the port", false));
        var summary = Summary([.. history, corrected])!;
        (summary.Status, summary.Counts.Evidence, summary.Counts.Corrections).ShouldBe((ClaimStatus.PartiallyConfirmed, 1, 1));
    }

    [Fact]
    public void a_correction_of_a_statement_is_stored_as_before_and_one_stored_before_reads_without_the_new_fields()
    {
        var stored = JsonSerializer.Serialize(CorrectedStatement(2, Stance.Denies), Json.Options);
        var old = JsonSerializer.Deserialize<ClaimCorrected>("""
            {"claimId":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","reason":"r","correctsVersion":2,"sourceName":"KCNA","statement":null,
             "stance":"denies","statedAt":null,"quote":null,"correctedAt":"2024-02-27T00:00:00Z","recordedBy":"desk"}
            """, Json.Options)!;

        foreach (var field in new[] { "\"url\"", "\"description\"", "\"article\"", "\"parties\"" })
        {
            stored.ShouldNotContain(field);
        }

        (old.Url, old.Description, old.Article, old.Parties).ShouldBe((null, null, null, null));
        Given(Said(NorthKorea, Stance.Confirms, Day(21)), old).Status.ShouldBe(ClaimStatus.Denied);
    }

    [Theory]
    [InlineData("url", "is required to correct evidence's url or description, or a report's article")]
    [InlineData("parties", "correct the claim's parties without correctsVersion, apart from a correction of one of its events")]
    [InlineData("both", "names one event: correct a statement's source, stance, quote, quoteKind or statedAt, evidence's url or description, or a report's article, one at a time")]
    public void a_correction_names_one_kind_of_thing_it_corrects(string given, string message)
    {
        var command = given switch
        {
            "url" => new CorrectClaim("wrong link", null, null, null, null, null, null, Url: "https://example.org/a.png"),
            "parties" => new CorrectClaim("wrong parties", null, 2, null, null, null, null, Parties: [Russia]),
            _ => new CorrectClaim("two at once", null, 2, "denies", null, null, null, Description: "rail cars"),
        };

        CorrectClaimEndpoint.Validate(command, Clock).ShouldNameOnly(given == "parties" ? "parties" : "correctsVersion", message);
    }

    [Fact]
    public void corrected_parties_url_description_and_article_are_checked_like_the_writes_they_correct()
    {
        var problem = CorrectClaimEndpoint.Validate(new CorrectClaim("bad", null, null, null, null, null, null, Parties: [" "]), Clock);
        var evidence = CorrectClaimEndpoint.Validate(new CorrectClaim("bad", null, 2, null, null, null, null, Url: "ftp://x", Description: " "), Clock);
        var article = CorrectClaimEndpoint.Validate(new CorrectClaim("bad", null, 2, null, null, null, null, Article: new ArticleInput(null, null, null, "2024-13")), Clock);

        problem.FieldErrors().Keys.ShouldBe(["parties[0]"]);
        evidence.FieldErrors().Keys.Order().ShouldBe(["description", "url"]);
        article.FieldErrors().Keys.Order().ShouldBe(["article.outlet", "article.publishedAt"]);
    }

    [Theory]
    [InlineData("2024", "2024")]
    [InlineData("2024-02", "2024-02")]
    [InlineData("2024-02-20", "2024-02-20")]
    [InlineData("2024-02-20T09:30:00Z", null)]
    public void a_period_is_written_as_precisely_as_it_is_known_and_an_instant_is_not_a_period(string given, string? text) =>
        WorldTime.Parse(given)!.Value.Text.ShouldBe(text);
}
