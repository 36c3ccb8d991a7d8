using ClaimsTracker.Claims;

namespace ClaimsTracker.Tests;

public class VocabularyTests
{
    [Fact]
    public void statuses_have_the_snake_case_words_of_the_api() =>
        Words.All<ClaimStatus>().ShouldBe(
            ["unconfirmed", "partially_confirmed", "confirmed", "disputed", "denied", "refuted", "misleading", "retracted"]);

    [Fact]
    public void stances_have_the_snake_case_words_of_the_api() =>
        Words.All<Stance>().ShouldBe(["confirms", "denies", "declines_to_comment", "asserts", "not_confirmed"]);

    [Fact]
    public void quote_kinds_have_the_words_of_the_api_direct_first_as_the_default()
    {
        Words.All<QuoteKind>().ShouldBe(["direct", "paraphrase"]);
        default(QuoteKind).ShouldBe(QuoteKind.Direct);
    }

    [Theory]
    [InlineData("False", Verdict.False)]
    [InlineData(" unproven ", Verdict.Unproven)]
    public void verdict_words_parse_whatever_their_case_or_padding(string word, Verdict expected)
    {
        Words.TryParse<Verdict>(word, out var verdict).ShouldBeTrue();
        verdict.ShouldBe(expected);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Refuted")]
    [InlineData(null)]
    public void numbers_and_foreign_words_are_not_verdicts(string? word) =>
        Words.TryParse<Verdict>(word, out _).ShouldBeFalse();
}
