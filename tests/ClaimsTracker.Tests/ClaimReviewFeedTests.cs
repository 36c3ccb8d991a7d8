using System.Text.Json.Nodes;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

/// <summary>Reading ClaimReview JSON-LD and claims:search responses, and what each review becomes, without a database.</summary>
public sealed class ClaimReviewFeedTests
{
    private static readonly FixedClock Clock = new(Day(28));

    private static (IReadOnlyList<ReviewRead> Reviews, Validation Errors) Read(string json) => ClaimReviewFeed.Read(JsonNode.Parse(json));

    [Theory]
    [InlineData("True", Verdict.Confirmed)]
    [InlineData("FALSE", Verdict.False)]
    [InlineData(" misleading. ", Verdict.Misleading)]
    [InlineData("Unproven", Verdict.Unproven)]
    [InlineData("Falso", Verdict.False)]
    [InlineData("Engañoso", Verdict.Misleading)]
    [InlineData("Sin pruebas", Verdict.Unproven)]
    [InlineData("Vrai", Verdict.Confirmed)]
    [InlineData("Faux", Verdict.False)]
    [InlineData("Trompeur", Verdict.Misleading)]
    public void a_rating_in_plain_words_maps_to_its_verdict(string rating, Verdict verdict) =>
        ClaimReviewFeed.VerdictOf(rating).ShouldBe(verdict);

    [Theory]
    [InlineData("Half true")]
    [InlineData("Mostly false")]
    [InlineData("Pants on Fire")]
    [InlineData("Missing context")]
    public void a_rating_that_is_no_plain_verdict_maps_to_none(string rating) => ClaimReviewFeed.VerdictOf(rating).ShouldBeNull();

    [Fact]
    public void a_claims_search_response_reads_each_review_with_its_claim()
    {
        var (reviews, errors) = Read("""
            { "claims": [ { "text": " Russia  paid in oil ", "claimant": "Posts", "claimDate": "2024-02-18",
              "claimReview": [ { "publisher": { "name": "Verificado", "site": "verificado.example.com" }, "url": "https://verificado.example.com/a",
                                 "title": "No hay pruebas", "reviewDate": "2024-02-21", "textualRating": "Falso", "languageCode": "es" } ] } ] }
            """);

        errors.IsValid.ShouldBeTrue();
        var review = reviews.ShouldHaveSingleItem();
        (review.Item, review.ClaimText, review.Key, review.Claimant).ShouldBe(("claims[0].claimReview[0]", "Russia paid in oil", "russia paid in oil", "Posts"));
        (review.Publisher, review.PublisherUrl, review.RatingName, review.Verdict).ShouldBe(("Verificado", "https://verificado.example.com", "Falso", Verdict.False));
        review.ReviewDate.ShouldBe(new DateTimeOffset(2024, 2, 21, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void a_json_ld_review_reads_its_rating_scale_reviewer_claimant_and_first_appearance()
    {
        var (reviews, errors) = Read("""
            { "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "A claim", "url": "https://check.example.org/r",
              "datePublished": "2024-02-24", "author": { "@type": "Organization", "name": "Example Check", "url": "https://check.example.org" },
              "reviewRating": { "ratingValue": "1", "bestRating": 5, "worstRating": 1, "alternateName": "False" },
              "itemReviewed": { "author": [ { "name": "A commentator" } ],
                "firstAppearance": { "url": "https://video.example.net/1", "datePublished": "2024-02-21", "publisher": { "name": "Example Video" } } } }
            """);

        errors.IsValid.ShouldBeTrue();
        var review = reviews.ShouldHaveSingleItem();
        (review.Item, review.Claimant, review.Publisher, review.PublisherUrl).ShouldBe(("body", "A commentator", "Example Check", "https://check.example.org"));
        (review.Value, review.Best, review.Worst).ShouldBe((1m, 5m, 1m));
        review.Appearance.ShouldBe(new ArticleInput("Example Video", "https://video.example.net/1", null, new DateTimeOffset(2024, 2, 21, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void every_bad_field_is_named_by_its_item()
    {
        var (_, errors) = Read("""
            { "claims": [ { "text": "A", "claimReview": [ { "url": "/r", "reviewDate": "soon", "textualRating": 3, "publisher": "P" } ] },
                          { "text": "B" }, 7 ] }
            """);

        Problems.ErrorsOf(errors.Result()).Keys.Order().ShouldBe([
            "claims[0].claimReview[0].publisher", "claims[0].claimReview[0].reviewDate", "claims[0].claimReview[0].textualRating",
            "claims[0].claimReview[0].url", "claims[1].claimReview", "claims[2]",
        ]);
    }

    [Fact]
    public void an_inconsistent_rating_scale_is_named()
    {
        var (_, errors) = Read("""[ { "@type": "ClaimReview", "claimReviewed": "A", "reviewRating": { "ratingValue": 6, "bestRating": 5, "worstRating": 1, "name": "x" } } ]""");

        Problems.ErrorsOf(errors.Result()).Keys.ShouldBe(["[0].reviewRating.ratingValue"]);
    }

    [Fact]
    public void reviews_of_one_claim_share_one_registration_with_the_claimant_as_its_party_and_plain_ratings_become_verdicts()
    {
        var (reviews, _) = Read("""
            { "claims": [ { "text": "Russia paid in oil", "claimant": "Posts", "claimDate": "2024-02-18",
              "claimReview": [ { "publisher": { "name": "P" }, "url": "https://p.example/1", "reviewDate": "2024-02-21", "textualRating": "False" },
                               { "publisher": { "name": "Q" }, "url": "https://q.example/1", "title": "Context", "reviewDate": "2024-02-22", "textualRating": "Half true" },
                               { "publisher": { "name": "R" }, "reviewDate": "2024-02-22" } ] } ] }
            """);
        var errors = new Validation();

        var plan = ImportClaimReviewsEndpoint.Plan(reviews, errors, Clock).ShouldHaveSingleItem();

        errors.IsValid.ShouldBeTrue();
        var registration = plan.Registration.ShouldNotBeNull();
        registration.Parties.ShouldBe(["Posts"]);
        (registration.Statement, registration.FirstReport).ShouldBe(("Russia paid in oil",
            new ArticleInput("P", "https://p.example/1", null, new DateTimeOffset(2024, 2, 18, 0, 0, 0, TimeSpan.Zero))));
        var verdict = plan.Reviews[0].Command.ShouldBeOfType<GiveVerdict>();
        (verdict.Verdict, verdict.Rating!.Name, verdict.ReviewedBy!.Name).ShouldBe(("false", "False", "P"));
        verdict.Citations.ShouldBe(["https://p.example/1"]);
        plan.Reviews[1].Command.ShouldBeOfType<ReportClaim>().Headline.ShouldBe("Context (rated \u201cHalf true\u201d)");
        plan.Reviews[2].Command.ShouldBeNull();
        plan.Reviews[2].Why!.ShouldContain("no rating");
    }

    [Fact]
    public void a_claim_without_claimant_cannot_be_registered_and_says_why() =>
        ImportClaimReviewsEndpoint.Plan(Read("""[ { "@type": "ClaimReview", "claimReviewed": "A", "datePublished": "2024-02-21", "reviewRating": { "name": "False" } } ]""").Reviews,
            new Validation(), Clock).ShouldHaveSingleItem().Unregistrable!.ShouldContain("claimant");
}
