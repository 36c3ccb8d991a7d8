using System.Net;
using System.Text.Json.Nodes;

namespace ClaimsTracker.IntegrationTests;

/// <summary>Corrections of the claim's parties, of evidence and of a report's article, through HTTP, checked by verify.</summary>
public sealed class EventCorrectionsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task RegisteredParties()
    {
        foreach (var (name, alias, wikidata) in new[] { ("Russia", "Kremlin", "Q159"), ("North Korea", "DPRK", "Q423"), ("South Korea", "Seoul", "Q884") })
        {
            (await Api.Post("/api/parties", new { name, aliases = new[] { alias }, wikidata })).Status.ShouldBe(HttpStatusCode.Created);
        }
    }

    private async Task Verified()
    {
        await ProjectionsCaughtUp();
        var report = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        report.Status.ShouldBe(HttpStatusCode.OK, report.Text);
        report.Json["ok"]!.GetValue<bool>().ShouldBeTrue(report.Text);
    }

    private Task<Reply> Correct(string id, object correction) => Api.Post($"/api/claims/{id}/corrections", correction);

    [Fact]
    public async Task corrected_parties_derive_the_status_again_everywhere_and_verify_finds_the_projections_agree()
    {
        await RegisteredParties();
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Kremlin", "confirms", "2024-02-21T00:00:00Z");
        var yonhap = await Api.StatementFrom(id, "South Korea's foreign ministry", "Seoul", "confirms", "2024-02");
        var kcna = await Api.StatementFrom(id, "KCNA", "DPRK", "denies", "2024-02-23T00:00:00Z");

        var corrected = await Correct(id, new { reason = "South Korea, not North Korea, is the other party", parties = new[] { "kremlin", "Seoul" } });
        var again = await Correct(id, new { reason = "once more", parties = new[] { "Russia", "South Korea" } });
        var claim = await Api.Get($"/api/claims/{id}");
        await Verified();

        (yonhap.Field("countedFor"), kcna.Field("status")).ShouldBe((null, "disputed"));
        corrected.Status.ShouldBe(HttpStatusCode.OK, corrected.Text);
        corrected.Field("status").ShouldBe("confirmed");
        again.Status.ShouldBe(HttpStatusCode.BadRequest);
        again.Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["parties"]);
        claim.Json["parties"]!.AsArray().Select(p => $"{p!["party"]} {p["stance"]} {p["becauseOf"]}").ShouldBe(["Russia confirms 2", "South Korea confirms 3"]);
        // the month-precise confirmation counts from the end of February
        (await Api.Status(id, "?worldAt=2024-02-25T00:00:00Z")).ShouldBe("partially_confirmed");
        (await Api.Status(id, "?worldAt=2024-03-01T00:00:00Z")).ShouldBe("confirmed");
        (await Api.Get("/api/claims?party=Seoul")).Field("items.0.id").ShouldBe(id);
        (await Api.Get("/api/claims?party=DPRK")).Field("total").ShouldBe("0");
        var timeline = (await Api.Get($"/api/claims/{id}/timeline")).Json["intervals"]!.AsArray();
        timeline[^1]!["status"]!.ToString().ShouldBe("confirmed");
        (await Api.Get("/corrections")).Text.ShouldContain("parties to Russia, South Korea");
        var about = (await Api.Get($"/api/claims/{id}/claimreview")).Json["@graph"]!.AsArray()[^1]!["itemReviewed"]!["about"]!.AsArray();
        about.Select(a => $"{a!["name"]} {a["sameAs"]}").ShouldBe(["Russia http://www.wikidata.org/entity/Q159", "South Korea http://www.wikidata.org/entity/Q884"]);
        (await Api.Get($"/claims/{id}")).Text.ShouldContain("<th scope=\"row\" data-label=\"Party\">South Korea</th>");
    }

    [Fact]
    public async Task evidence_and_reports_first_one_included_are_corrected_in_the_export_and_the_log_and_verify_finds_the_projections_agree()
    {
        var id = await Api.RegisteredClaim();
        (await Api.Post($"/api/claims/{id}/reports", new { outlet = "AP", url = "https://example.org/wrong", publishedAt = "2024-02-21T00:00:00Z" }))
            .Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Post($"/api/claims/{id}/evidence", new
        {
            kind = "photo", url = "https://example.org/wrong.png", description = "rail cars", bearing = "supports", observedAt = "2024-02-21T00:00:00Z",
        })).Status.ShouldBe(HttpStatusCode.OK);

        var evidence = await Correct(id, new { reason = "the link was to another photo", correctsVersion = 3, url = "https://example.org/right.png", description = "rail cars at Tumangang" });
        var report = await Correct(id, new
        {
            reason = "it was Reuters, known only to the day", correctsVersion = 2,
            article = new { outlet = "Reuters", url = "https://example.org/reuters", publishedAt = "2024-02-21" },
        });
        var first = await Correct(id, new
        {
            reason = "the first report ran in February, day unknown", correctsVersion = 1,
            article = new { outlet = "Example Wire", url = "https://example.org/weapons", publishedAt = "2024-02" },
        });
        var notAReport = await Correct(id, new { reason = "r", correctsVersion = 3, article = new { outlet = "AP", publishedAt = "2024-02-21" } });
        var notEvidence = await Correct(id, new { reason = "r", correctsVersion = 2, description = "rail cars" });
        var claim = await Api.Get($"/api/claims/{id}");
        var export = await Api.Get($"/api/claims/{id}/claimreview");
        await Verified();

        (evidence.Status, report.Status, first.Status).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), $"{evidence.Text} {report.Text} {first.Text}");
        notAReport.Json["errors"]!["correctsVersion"]![0]!.ToString().ShouldBe("version 3 of this claim is not a report");
        notEvidence.Json["errors"]!["correctsVersion"]![0]!.ToString().ShouldBe("version 2 of this claim is not attached evidence");
        (claim.Field("firstReport.publishedAtPrecision"), claim.Field("counts.corrections"), claim.Field("version")).ShouldBe(("month", "3", "6"));
        var item = export.Json["@graph"]!.AsArray()[^1]!["itemReviewed"]!;
        item["firstAppearance"]!["datePublished"]!.ToString().ShouldBe("2024-02");
        item["appearance"]!.AsArray().Select(a => $"{a!["publisher"]!["name"]} {a["url"]} {a["datePublished"]}")
            .ShouldBe(["Example Wire https://example.org/weapons 2024-02", "Reuters https://example.org/reuters 2024-02-21"]);
        var log = (await Api.Get("/corrections")).Text;
        log.ShouldContain("evidence link to https://example.org/right.png evidence description to “rail cars at Tumangang”");
        log.ShouldContain("article to Reuters, published");
        var history = (await Api.Get($"/api/claims/{id}/history")).Json["items"]!.AsArray();
        history[3]!["data"]!.AsObject().ContainsKey("parties").ShouldBeFalse();
        JsonNode.DeepEquals(history[4]!["data"]!["article"], JsonNode.Parse("""
            {"outlet":"Reuters","url":"https://example.org/reuters","headline":null,"publishedAt":"2024-02-21T00:00:00+00:00","publishedAtPrecision":"day"}
            """)).ShouldBeTrue(history[4]!["data"]!.ToJsonString());
    }
}
