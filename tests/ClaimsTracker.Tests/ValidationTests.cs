using ClaimsTracker.Claims;
using Wolverine.Http;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public class ValidationTests
{
    private static readonly DateTimeOffset Now = Day(28);
    private static readonly FixedClock Clock = new(Now);

    private static readonly ArticleInput Article = new("Reuters", "https://www.reuters.com/a", "Missiles", Day(20));

    private static readonly RegisterClaim ValidClaim = new(
        "North Korea has supplied rockets and missiles to Russia", [Russia, NorthKorea], ["weapons"], Article);

    private static readonly RecordStatement ValidStatement = new(
        new SourceInput("Dmitry Peskov", "Kremlin spokesperson", Russia), "confirms", "Yes.", Day(21), Article, 3);

    private static readonly AttachEvidence ValidEvidence = new("document", "https://example.org/doc.pdf", "bill of lading", "supports", Day(22), null);

    [Fact]
    public void valid_registration_lets_the_request_continue() =>
        RegisterClaimEndpoint.Validate(ValidClaim, Clock).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \t ")]
    public void registration_without_claim_text_names_the_statement_field(string? statement) =>
        RegisterClaimEndpoint.Validate(ValidClaim with { Statement = statement }, Clock).ShouldNameOnly("statement", "is required and must not be blank");

    [Fact]
    public void registration_with_overlong_claim_text_says_the_limit() =>
        RegisterClaimEndpoint.Validate(ValidClaim with { Statement = new string('x', 2001) }, Clock).FieldErrors()["statement"]
            .ShouldBe(["must be at most 2000 characters (got 2001)"]);

    [Fact]
    public void registration_without_parties_names_the_parties_field() =>
        RegisterClaimEndpoint.Validate(ValidClaim with { Parties = [] }, Clock).FieldErrors().Keys.ShouldBe(["parties"]);

    [Fact]
    public void registration_with_a_blank_party_names_its_position() =>
        RegisterClaimEndpoint.Validate(ValidClaim with { Parties = [Russia, " "] }, Clock).FieldErrors().Keys.ShouldBe(["parties[1]"]);

    [Fact]
    public void registration_with_more_than_twenty_topics_is_refused() =>
        RegisterClaimEndpoint.Validate(ValidClaim with { Topics = Enumerable.Range(1, 21).Select(i => $"t{i}").ToArray() }, Clock)
            .FieldErrors().Keys.ShouldBe(["topics"]);

    [Fact]
    public void registration_without_first_report_names_the_field() =>
        RegisterClaimEndpoint.Validate(ValidClaim with { FirstReport = null }, Clock).FieldErrors().Keys.ShouldBe(["firstReport"]);

    [Theory]
    [InlineData("ftp://example.org/a")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    public void registration_with_a_bad_first_report_url_names_the_nested_field(string url) =>
        RegisterClaimEndpoint.Validate(ValidClaim with { FirstReport = Article with { Url = url } }, Clock).ShouldNameOnly("firstReport.url", "must be an absolute http or https URL");

    [Fact]
    public void registration_with_a_first_report_published_in_the_future_is_refused() =>
        RegisterClaimEndpoint.Validate(ValidClaim with { FirstReport = Article with { PublishedAt = Now.AddHours(1) } }, Clock)
            .FieldErrors()["firstReport.publishedAt"].ShouldBe(["must not be in the future"]);

    [Fact]
    public void registration_lists_every_bad_field_at_once() =>
        RegisterClaimEndpoint.Validate(new RegisterClaim(" ", null, null, new ArticleInput(null, "x", null, null)), Clock)
            .FieldErrors().Keys.Order().ShouldBe(["firstReport.outlet", "firstReport.publishedAt", "firstReport.url", "parties", "statement"]);

    [Fact]
    public void registration_problem_tells_the_caller_nothing_was_recorded()
    {
        var problem = RegisterClaimEndpoint.Validate(ValidClaim with { Statement = null }, Clock);

        problem.Status.ShouldBe(400);
        problem.Title.ShouldBe("The request is invalid");
        problem.Detail.ShouldNotBeNull().ShouldContain("Nothing was recorded");
    }

    [Fact]
    public void valid_statement_lets_the_request_continue() =>
        RecordStatementEndpoint.Validate(ValidStatement, Clock).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void statement_by_a_third_party_without_role_or_report_is_valid() =>
        RecordStatementEndpoint.Validate(
                ValidStatement with { Source = new SourceInput("Reuters", null, null), Stance = "asserts", Quote = null, ReportedIn = null },
                Clock)
            .ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void statement_without_source_names_the_source_field() =>
        RecordStatementEndpoint.Validate(ValidStatement with { Source = null }, Clock).FieldErrors().Keys.ShouldBe(["source"]);

    [Fact]
    public void statement_by_a_source_without_name_names_the_nested_field() =>
        RecordStatementEndpoint.Validate(ValidStatement with { Source = new SourceInput("", "spokesperson", Russia) }, Clock)
            .FieldErrors().Keys.ShouldBe(["source.name"]);

    [Theory]
    [InlineData("maybe")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("declinesToComment")]
    public void statement_with_an_unknown_stance_lists_the_stance_words(string? stance) =>
        RecordStatementEndpoint.Validate(ValidStatement with { Stance = stance }, Clock).ShouldNameOnly("stance", "must be one of: confirms, denies, declines_to_comment, asserts, not_confirmed");

    [Theory]
    [InlineData("CONFIRMS")]
    [InlineData(" declines_to_comment ")]
    public void stance_words_are_accepted_in_any_case_and_padding(string stance) =>
        RecordStatementEndpoint.Validate(ValidStatement with { Stance = stance }, Clock).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void statement_stated_in_the_future_is_refused() =>
        RecordStatementEndpoint.Validate(ValidStatement with { StatedAt = Now.AddMinutes(6) }, Clock).ShouldNameOnly("statedAt", "must not be in the future");

    [Fact]
    public void statement_stated_within_five_minutes_of_now_tolerates_clock_skew() =>
        RecordStatementEndpoint.Validate(ValidStatement with { StatedAt = Now.AddMinutes(5) }, Clock).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void statement_without_world_time_names_the_stated_at_field() =>
        RecordStatementEndpoint.Validate(ValidStatement with { StatedAt = null }, Clock).FieldErrors().Keys.ShouldBe(["statedAt"]);

    [Fact]
    public void statement_stated_before_1900_is_refused() =>
        RecordStatementEndpoint.Validate(ValidStatement with { StatedAt = new DateTimeOffset(1899, 12, 31, 0, 0, 0, TimeSpan.Zero) }, Clock)
            .FieldErrors()["statedAt"].ShouldBe(["must be after 1900-01-01"]);

    [Theory]
    [InlineData(0L)]
    [InlineData(-4L)]
    public void statement_with_a_non_positive_expected_version_is_refused(long version) =>
        RecordStatementEndpoint.Validate(ValidStatement with { ExpectedVersion = version }, Clock).FieldErrors().Keys
            .ShouldBe(["expectedVersion"]);

    [Fact]
    public void statement_reported_in_an_article_with_a_bad_url_names_the_nested_field() =>
        RecordStatementEndpoint.Validate(ValidStatement with { ReportedIn = Article with { Url = "javascript:alert(1)" } }, Clock)
            .FieldErrors().Keys.ShouldBe(["reportedIn.url"]);

    [Fact]
    public void quote_with_control_characters_is_refused_but_line_breaks_are_fine()
    {
        RecordStatementEndpoint.Validate(ValidStatement with { Quote = "Yes.\u0000" }, Clock).FieldErrors()["quote"]
            .ShouldBe(["must not contain control characters"]);
        RecordStatementEndpoint.Validate(ValidStatement with { Quote = "Yes.\r\n\tNo." }, Clock).ShouldBeSameAs(WolverineContinue.NoProblems);
    }

    [Fact]
    public void valid_verdict_lets_the_request_continue() =>
        GiveVerdictEndpoint.Validate(new GiveVerdict("misleading", "cropped photo", null)).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void verdict_with_unknown_word_and_no_rationale_names_both_fields()
    {
        var errors = GiveVerdictEndpoint.Validate(new GiveVerdict("refuted", " ", null)).FieldErrors();

        errors.Keys.Order().ShouldBe(["rationale", "verdict"]);
        errors["verdict"].ShouldBe(["must be one of: confirmed, false, misleading, unproven"]);
    }

    [Fact]
    public void retraction_without_reason_names_the_reason_field() =>
        RetractClaimEndpoint.Validate(new RetractClaim(null, null)).FieldErrors().Keys.ShouldBe(["reason"]);

    [Fact]
    public void valid_retraction_lets_the_request_continue() =>
        RetractClaimEndpoint.Validate(new RetractClaim("withdrawn", 4)).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void valid_evidence_lets_the_request_continue() =>
        AttachEvidenceEndpoint.Validate(ValidEvidence, Clock).ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void evidence_with_bad_url_unknown_bearing_and_future_observation_names_each_field()
    {
        var errors = AttachEvidenceEndpoint.Validate(
            ValidEvidence with { Url = "ftp://example.org/doc.pdf", Bearing = "proves", ObservedAt = Now.AddDays(1) }, Clock).FieldErrors();

        errors.Keys.Order().ShouldBe(["bearing", "observedAt", "url"]);
        errors["bearing"].ShouldBe(["must be one of: supports, refutes"]);
    }

    [Fact]
    public void evidence_without_kind_or_description_names_both_fields() =>
        AttachEvidenceEndpoint.Validate(ValidEvidence with { Kind = "", Description = null }, Clock).FieldErrors().Keys.Order()
            .ShouldBe(["description", "kind"]);

    [Fact]
    public void valid_text_correction_lets_the_request_continue() =>
        CorrectClaimEndpoint.Validate(new CorrectClaim("typo", "corrected text", null, null, null, null, null), Clock)
            .ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void valid_stance_correction_lets_the_request_continue() =>
        CorrectClaimEndpoint.Validate(new CorrectClaim("misheard", null, 2, "denies", Day(21), null, 5), Clock)
            .ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void correction_that_corrects_nothing_names_the_statement_field() =>
        CorrectClaimEndpoint.Validate(new CorrectClaim("typo", null, null, null, null, null, null), Clock).FieldErrors().Keys
            .ShouldBe(["statement"]);

    [Fact]
    public void correction_of_a_stance_without_the_statements_version_names_corrects_version() =>
        CorrectClaimEndpoint.Validate(new CorrectClaim("misheard", null, null, "denies", null, null, null), Clock).ShouldNameOnly("correctsVersion", "is required to correct a statement's source, stance, quote, quoteKind or statedAt");

    [Fact]
    public void correction_with_blank_text_or_unknown_stance_or_no_reason_names_each_field() =>
        CorrectClaimEndpoint.Validate(new CorrectClaim(null, "  ", 2, "perhaps", null, null, null), Clock).FieldErrors().Keys.Order()
            .ShouldBe(["reason", "stance", "statement"]);

    [Fact]
    public void correction_moving_a_statement_into_the_future_is_refused() =>
        CorrectClaimEndpoint.Validate(new CorrectClaim("wrong date", null, 2, null, Now.AddDays(2), null, null), Clock).ShouldNameOnly("statedAt", "must not be in the future");

    [Fact]
    public void valid_report_lets_the_request_continue() =>
        ReportClaimEndpoint.Validate(new ReportClaim("AP", "https://apnews.com/x", null, Day(22), null), Clock)
            .ShouldBeSameAs(WolverineContinue.NoProblems);

    [Fact]
    public void report_without_outlet_or_publication_time_is_refused() =>
        ReportClaimEndpoint.Validate(new ReportClaim(null, null, null, null, null), Clock).FieldErrors().Count.ShouldBe(2);

    [Fact]
    public void report_errors_name_the_fields_of_the_flat_request_body() =>
        ReportClaimEndpoint.Validate(new ReportClaim(" ", "ftp://x", null, Now.AddDays(1), null), Clock).FieldErrors().Keys.Order()
            .ShouldBe(["outlet", "publishedAt", "url"]);
}
