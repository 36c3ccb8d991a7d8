using System.Net;

namespace ClaimsTracker.IntegrationTests;

/// <summary>Verdicts as ClaimReview has them, and their withdrawal, through the HTTP API on PostgreSQL.</summary>
public sealed class VerdictTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task a_verdict_keeps_its_claimant_rating_reviewer_and_citations_in_its_event()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/verdicts", new
        {
            verdict = "false", rationale = "The footage is from 2019.", claimant = "Facebook posts",
            rating = new { name = "Pants on Fire", value = 1, best = 6, worst = 1 },
            reviewedBy = new { name = "PolitiFact", url = "https://www.politifact.com" },
            citations = new[] { "https://www.politifact.com/factchecks/2024/feb/21/video/" },
        });

        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        reply.Field("status").ShouldBe("refuted");
        var history = await Api.Get($"/api/claims/{id}/history");
        var data = history.Json["items"]!.AsArray()[^1]!["data"]!;
        data["rating"]!.ToJsonString().ShouldBe("""{"name":"Pants on Fire","value":1,"best":6,"worst":1}""");
        data["reviewedBy"]!["name"]!.ToString().ShouldBe("PolitiFact");
        data["claimant"]!.ToString().ShouldBe("Facebook posts");
        data["citations"]!.AsArray().Count.ShouldBe(1);
        var page = (await Api.Get($"/claims/{id}")).Text;
        page.ShouldContain("Rated \u201cPants on Fire\u201d by");
        page.ShouldContain("PolitiFact</a>");
    }

    [Fact]
    public async Task a_verdict_with_an_inconsistent_rating_and_a_relative_url_is_400_field_by_field_and_records_nothing()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/verdicts", new
        {
            verdict = "false", rationale = "r", rating = new { name = "False", value = 9, best = 5, worst = 1 },
            reviewedBy = new { name = "PolitiFact", url = "/about" }, citations = new[] { "not a url" },
        });

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.ContentType.ShouldBe("application/problem+json");
        reply.Json["errors"]!.AsObject().Select(e => e.Key).Order().ShouldBe(["citations[0]", "rating.value", "reviewedBy.url"]);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("1");
    }

    [Fact]
    public async Task withdrawing_the_verdict_lifts_the_override_and_the_timeline_shows_the_derivation_resume()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        (await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "false", rationale = "Fabricated" })).Field("status").ShouldBe("refuted");

        var withdrawn = await Api.Post($"/api/claims/{id}/verdicts/withdrawal", new { reason = "The verdict relied on a misread document." });

        withdrawn.Status.ShouldBe(HttpStatusCode.OK, withdrawn.Text);
        withdrawn.Field("version").ShouldBe("4");
        withdrawn.Field("status").ShouldBe("partially_confirmed");
        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("status").ShouldBe("partially_confirmed");
        claim.Field("verdict").ShouldBeNull();
        var timeline = await Api.Get($"/api/claims/{id}/timeline");
        timeline.Json["intervals"]!.AsArray().Select(i => i!["status"]!.ToString())
            .ShouldBe(["unconfirmed", "partially_confirmed", "refuted", "partially_confirmed"]);
        timeline.Json["intervals"]!.AsArray()[^1]!["becauseOf"]!.ToString().ShouldBe("4");
        (await Api.Get($"/api/claims/{id}/history")).Json["items"]!.AsArray()[^1]!["type"]!.ToString().ShouldBe("verdict_withdrawn");
        (await Api.Get($"/claims/{id}")).Text.ShouldContain("Verdict withdrawn: The verdict relied on a misread document.");
    }

    [Fact]
    public async Task withdrawing_with_no_verdict_in_force_is_400_and_records_nothing()
    {
        var id = await Api.RegisteredClaim();

        var none = await Api.Post($"/api/claims/{id}/verdicts/withdrawal", new { reason = "Nothing to withdraw" });
        await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "misleading", rationale = "Context missing" });
        (await Api.Post($"/api/claims/{id}/verdicts/withdrawal", new { reason = "Overreached" })).Status.ShouldBe(HttpStatusCode.OK);
        var twice = await Api.Post($"/api/claims/{id}/verdicts/withdrawal", new { reason = "Again" });

        none.Status.ShouldBe(HttpStatusCode.BadRequest);
        none.Json["errors"]!["claimId"].ShouldNotBeNull();
        twice.Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("3");
    }

    [Fact]
    public async Task a_retracted_claim_refuses_a_withdrawal_and_a_blank_reason_is_named()
    {
        var id = await Api.RegisteredClaim();
        await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "false", rationale = "Fabricated" });
        await Api.Post($"/api/claims/{id}/retraction", new { reason = "Withdrawn by the desk" });

        var retracted = await Api.Post($"/api/claims/{id}/verdicts/withdrawal", new { reason = "Overreached" });
        var blank = await Api.Post($"/api/claims/{id}/verdicts/withdrawal", new { reason = " " });

        retracted.Status.ShouldBe(HttpStatusCode.BadRequest);
        retracted.Text.ShouldContain("retracted");
        blank.Json["errors"]!["reason"].ShouldNotBeNull();
        (await Api.Status(id)).ShouldBe("retracted");
    }
}
