using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ClaimsTracker.IntegrationTests;

/// <summary>Other fact-checkers' reviews imported through POST /api/import/claimreview, from the files in ClaimReviewFiles.</summary>
public sealed class ImportClaimReviewsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static string File(string name) => System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ClaimReviewFiles", name));

    private Task<Reply> Import(string body) => Api.Post("/api/import/claimreview", body);

    [Fact]
    public async Task a_claims_search_response_becomes_verdicts_and_reports_once_however_often_it_is_imported()
    {
        var weapons = await Api.RegisteredClaim(Scenarios.WeaponsClaim("north korea has supplied  rockets and missiles to Russia"));
        var search = File("factcheck-claims-search.json");

        var first = await Import(search);
        var second = await Import(search);

        first.Status.ShouldBe(HttpStatusCode.OK, first.Text);
        (first.Field("claimsCreated"), first.Field("verdictsGiven"), first.Field("reportsRecorded")).ShouldBe(("5", "11", "1"));
        first.Json["skipped"]!.AsArray().ShouldBeEmpty();
        second.Status.ShouldBe(HttpStatusCode.OK, second.Text);
        (second.Field("claimsCreated"), second.Field("verdictsGiven"), second.Field("reportsRecorded")).ShouldBe(("0", "0", "0"));
        var skipped = second.Json["skipped"]!.AsArray();
        skipped.Count.ShouldBe(12);
        skipped.Select(s => s!["why"]!.ToString()).Distinct().ShouldBe(["already imported: nothing was added"]);
        skipped[0]!["item"]!.ToString().ShouldBe("claims[0].claimReview[0]");

        var claims = await Api.Get("/api/claims?pageSize=50");
        claims.Field("total").ShouldBe("6");
        var statusOf = claims.Json["items"]!.AsArray().ToDictionary(c => c!["statement"]!.ToString(), c => c!["status"]!.ToString());
        statusOf["Russia paid North Korea for the shells in oil"].ShouldBe("refuted");
        statusOf["Putin gave Kim Jong Un a car that violates UN sanctions"].ShouldBe("confirmed");
        statusOf["The Aurus Senat is bulletproof against rifle fire"].ShouldBe("unconfirmed");
        statusOf["Aurus was founded in 2018"].ShouldBe("refuted");
        (await Api.Status(weapons)).ShouldBe("misleading");

        var history = (await Api.Get($"/api/claims/{weapons}/history")).Json["items"]!.AsArray();
        history.Select(e => e!["type"]!.ToString()).ShouldBe(["claim_registered", "verdict_given", "verdict_given"]);
        var verdict = history[^1]!["data"]!;
        verdict["rating"]!["name"]!.ToString().ShouldBe("Engañoso");
        verdict["reviewedBy"]!.ToJsonString().ShouldBe("""{"name":"Verificado Ejemplo","url":"https://verificado.example.com"}""");
        verdict["claimant"]!.ToString().ShouldBe("South Korean officials");
        verdict["citations"]![0]!.ToString().ShouldBe("https://verificado.example.com/misiles");
        history[^1]!["actor"]!.ToString().ShouldBe("test-editor");

        var founded = claims.Json["items"]!.AsArray().First(c => c!["statement"]!.ToString() == "Aurus was founded in 2018")!["id"]!.ToString();
        var foundedClaim = await Api.Get($"/api/claims/{founded}");
        foundedClaim.Field("parties.0.party").ShouldBe("Aurus Motors");
        foundedClaim.Field("counts.reports").ShouldBe("1");
        var report = (await Api.Get($"/api/claims/{founded}/history")).Json["items"]!.AsArray()
            .Single(e => e!["type"]!.ToString() == "claim_reported")!["data"]!["article"]!;
        (report["outlet"]!.ToString(), report["url"]!.ToString()).ShouldBe(("Example Check", "https://check.example.org/2024/02/founded"));
        report["headline"]!.ToString().ShouldContain("Half true");
    }

    [Fact]
    public async Task a_claimreview_json_ld_page_keeps_the_rating_scale_the_reviewer_and_the_first_appearance()
    {
        var page = File("claimreview-page.jsonld");

        var first = await Import(page);
        var second = await Import(page);

        first.Status.ShouldBe(HttpStatusCode.OK, first.Text);
        (first.Field("claimsCreated"), first.Field("verdictsGiven"), first.Field("reportsRecorded")).ShouldBe(("2", "1", "1"));
        (second.Field("claimsCreated"), second.Field("verdictsGiven"), second.Field("reportsRecorded")).ShouldBe(("0", "0", "0"));
        var claims = (await Api.Get("/api/claims?q=sacred")).Json["items"]!.AsArray();
        var id = claims.ShouldHaveSingleItem()!["id"]!.ToString();
        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("status").ShouldBe("refuted");
        claim.Field("firstReport.url").ShouldBe("https://video.example.net/watch/123");
        claim.Field("firstReport.outlet").ShouldBe("Example Video");
        claim.Field("parties.0.party").ShouldBe("A commentator");
        var verdict = (await Api.Get($"/api/claims/{id}/history")).Json["items"]!.AsArray()[^1]!["data"]!;
        verdict["rating"]!.ToJsonString().ShouldBe("""{"name":"False","value":1,"best":5,"worst":1}""");
        verdict["reviewedBy"]!.ToJsonString().ShouldBe("""{"name":"Example Check","url":"https://check.example.org"}""");
    }

    [Theory]
    [InlineData("""{ "claims": "none" }""", "claims")]
    [InlineData("""{ "claims": [ { "text": 5, "claimReview": [ { "textualRating": "False" } ] } ] }""", "claims[0].text")]
    [InlineData("""{ "claims": [ { "text": "A claim", "claimant": "X", "claimDate": "2024-02-20" } ] }""", "claims[0].claimReview")]
    [InlineData("""{ "claims": [ { "text": "A claim", "claimant": "X", "claimReview": [ { "publisher": { "name": "P" }, "reviewDate": "last Tuesday", "textualRating": "False" } ] } ] }""", "claims[0].claimReview[0].reviewDate")]
    [InlineData("""[ { "@type": "ClaimReview", "claimReviewed": "A claim", "reviewRating": { "ratingValue": 9, "bestRating": 5, "worstRating": 1, "alternateName": "False" } } ]""", "[0].reviewRating.ratingValue")]
    [InlineData("""[ { "@type": "ClaimReview", "claimReviewed": "A claim", "url": "/relative" } ]""", "[0].url")]
    [InlineData("""{ "@type": "Article" }""", "@type")]
    [InlineData("42", "body")]
    [InlineData("""{ "claims": [ """, "body")]
    public async Task bad_input_is_400_naming_the_item_and_field_and_records_nothing(string body, string field)
    {
        var reply = await Import(body);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.ContentType.ShouldBe("application/problem+json");
        reply.Json["errors"]!.AsObject().Select(e => e.Key).ShouldContain(field, reply.Text);
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
    }

    [Fact]
    public async Task one_bad_item_among_good_ones_records_none_of_them()
    {
        var search = JsonNode.Parse(File("factcheck-claims-search.json"))!;
        search["claims"]![5]!["claimReview"]![2]!["reviewDate"] = "2024-13-45";

        var reply = await Import(search.ToJsonString());

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["claims[5].claimReview[2].reviewDate"]);
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
    }

    [Fact]
    public async Task a_ten_mebibyte_body_is_refused_with_a_400_naming_the_body_and_its_limit_whether_announced_or_not_and_records_nothing()
    {
        var huge = Encoding.UTF8.GetBytes($$"""{ "claims": [ { "text": "{{new string('x', 10 * 1024 * 1024)}}" } ] }""");
        // a pipe's reader has no length, so the body goes without Content-Length
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(huge);
        await pipe.Writer.CompleteAsync();
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/import/claimreview") { Content = new StreamContent(pipe.Reader.AsStream()) };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TryAddWithoutValidation("Authorization", $"Bearer {AppFixture.EditorKey}");

        var announced = await Import(Encoding.UTF8.GetString(huge));
        using var unannounced = await Api.Http.SendAsync(chunked);

        announced.Status.ShouldBe(HttpStatusCode.BadRequest, announced.Text);
        announced.ContentType.ShouldBe("application/problem+json");
        announced.Json["errors"]!["body"]![0]!.ToString()
            .ShouldBe("is larger than the 4194304 bytes an import may be; split the file and import each part");
        unannounced.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await unannounced.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["body"]);
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
    }

    [Fact]
    public async Task reviews_that_cannot_be_recorded_are_skipped_with_why()
    {
        var reply = await Import("""
            { "claims": [
              { "text": "Nobody said this", "claimDate": "2024-02-20",
                "claimReview": [ { "publisher": { "name": "P" }, "url": "https://p.example/1", "reviewDate": "2024-02-21", "textualRating": "False" } ] },
              { "text": "Someone said this", "claimant": "Someone", "claimDate": "2024-02-20",
                "claimReview": [ { "publisher": { "name": "P" }, "url": "https://p.example/2", "reviewDate": "2024-02-21" },
                                 { "publisher": { "name": "P" }, "url": "https://p.example/3", "reviewDate": "2024-02-21", "textualRating": "False" } ] } ] }
            """);

        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        (reply.Field("claimsCreated"), reply.Field("verdictsGiven")).ShouldBe(("1", "1"));
        var skipped = reply.Json["skipped"]!.AsArray();
        skipped.Select(s => (s!["index"]!.ToString(), s["item"]!.ToString())).ShouldBe([("0", "claims[0].claimReview[0]"), ("1", "claims[1].claimReview[0]")]);
        skipped[0]!["why"]!.ToString().ShouldContain("claimant");
        skipped[1]!["why"]!.ToString().ShouldContain("no rating");
    }
}
