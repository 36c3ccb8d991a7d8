using System.Net;
using System.Text.Json.Nodes;

namespace ClaimsTracker.IntegrationTests;

public sealed class AuditExportTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_claim_export_is_one_event_a_line_with_metadata_its_leaf_and_the_entry_that_hashes_to_it()
    {
        var id = await ClaimWithHistory();
        var other = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Another claim"));
        await ProjectionsCaughtUp();

        var (status, contentType, export) = await Raw($"/api/claims/{id}/events.ndjson");
        var (_, _, log) = await Raw("/api/audit/events.ndjson");

        status.ShouldBe(HttpStatusCode.OK);
        contentType.ShouldBe("application/x-ndjson");
        var lines = Lines(export);
        lines.Select(l => l["version"]!.GetValue<long>()).ShouldBe([1L, 2, 3, 4]);
        lines.Select(l => l["type"]!.ToString()).ShouldBe(["claim_registered", "statement_recorded", "statement_recorded", "claim_corrected"]);
        lines.ShouldAllBe(l => l["actor"]!.ToString() == "test-editor" && l["correlationId"] != null && l["recordedAt"] != null);
        lines[1]["data"]!["source"]!["name"]!.ToString().ShouldBe("Peskov");
        lines[1]["worldAt"]!.ToString().ShouldStartWith("2024-02-22T00:00:00");
        lines.Select(l => l["leafIndex"]!.GetValue<long>()).ShouldBe([0L, 1, 2, 3]);
        lines[1]["entry"]!["claimId"]!.ToString().ShouldBe(id);
        lines[1]["entry"]!["data"]!["source"]!["name"]!.ToString().ShouldBe("Peskov");

        var all = Lines(log);
        all.Count.ShouldBe(5);
        all.Select(l => l["leafIndex"]!.GetValue<long>()).ShouldBe([0L, 1, 2, 3, 4]);
        all[^1]["streamId"]!.ToString().ShouldBe(other);
        foreach (var line in all)
        {
            // an outsider's check: the entry's JCS bytes hash to the leaf the log proves under its signed root
            var leaf = line["leafIndex"]!.GetValue<long>();
            var proof = await Api.Get($"/api/audit/log/proof/inclusion?leafIndex={leaf}&treeSize=5");
            proof.Status.ShouldBe(HttpStatusCode.OK, proof.Text);
            var leafHash = Audit.PublicLog.Merkle.LeafHash(Audit.PublicLog.Jcs.Canonicalize(line["entry"]!.ToJsonString()));
            Convert.ToBase64String(leafHash).ShouldBe(proof.Field("leafHash"));
            Audit.PublicLog.Merkle.VerifyInclusion(leaf, 5, leafHash,
                proof.Json["hashes"]!.AsArray().Select(h => Convert.FromBase64String(h!.ToString())).ToList(),
                Convert.FromBase64String(proof.Field("rootHash")!)).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task the_csv_export_has_a_header_and_one_quoted_row_per_event_and_neutralises_formulas()
    {
        var id = await Api.RegisteredClaim(Scenarios.WeaponsClaim("=HYPERLINK(\"https://evil.example\", \"click\"), with a comma"));

        var csv = await Api.Get($"/api/claims/{id}/events.csv");

        csv.Status.ShouldBe(HttpStatusCode.OK);
        csv.ContentType.ShouldBe("text/csv");
        var rows = csv.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldStartWith("sequence,stream_id,version,type,recorded_at,world_at,actor");
        rows.Length.ShouldBe(2);
        rows[1].ShouldContain($",{id},1,claim_registered,");
        rows[1].ShouldContain("test-editor");
        rows[1].ShouldContain("\"{\"\"claimId\"\":");
        (await Api.Get($"/api/claims/{Guid.NewGuid()}/events.csv")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task replay_gives_the_state_after_each_event_and_what_it_changed()
    {
        var id = await ClaimWithHistory();

        var replay = await Api.Get($"/api/claims/{id}/replay");

        replay.Status.ShouldBe(HttpStatusCode.OK, replay.Text);
        var steps = replay.Json["steps"]!.AsArray();
        steps.Select(s => s!["status"]!.ToString()).ShouldBe(["unconfirmed", "partially_confirmed", "disputed", "disputed"]);
        Changes(steps[1]!).ShouldBe(["status: unconfirmed -> partially_confirmed", "stance of Russia: open -> confirms",
            "count of statements: 0 -> 1", "count of partyStatements: 0 -> 1"], ignoreOrder: true);
        Changes(steps[3]!).ShouldBe(["count of corrections: 0 -> 1"]);
        steps[2]!["actor"]!.ToString().ShouldBe("test-editor");
        (await Api.Get($"/api/claims/{id}/replay?page=2&pageSize=3")).Json["steps"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task claim_review_json_ld_has_one_review_per_status_change_and_corrections_as_notes()
    {
        var id = await ClaimWithHistory();
        await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "false", rationale = "Satellite images show no shipments." });

        var reply = await Api.Get($"/api/claims/{id}/claimreview");

        reply.Status.ShouldBe(HttpStatusCode.OK);
        reply.ContentType.ShouldBe("application/ld+json");
        reply.Json["@context"]!.ToString().ShouldBe("https://schema.org");
        var reviews = reply.Json["@graph"]!.AsArray();
        reviews.Select(r => r!["reviewRating"]!["alternateName"]!.ToString())
            .ShouldBe(["unconfirmed", "partially confirmed", "disputed", "refuted"]);
        reviews.ShouldAllBe(r => r!["@type"]!.ToString() == "ClaimReview" && r["dateModified"] != null);
        reviews[2]!["correction"]!.AsArray().ShouldBeEmpty();
        reviews[3]!["correction"]!.AsArray().Single()!["text"]!.ToString().ShouldBe("Corrects event 3: Date");
        reviews[0]!["itemReviewed"]!["firstAppearance"]!["url"]!.ToString().ShouldBe("https://example.org/weapons");
    }

    /// <summary>Registered (1), Russia confirms (2), North Korea denies (3), then (4) corrects the date of 3.</summary>
    private async Task<string> ClaimWithHistory()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-22T00:00:00Z");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-19T00:00:00Z");
        var corrected = await Api.Post($"/api/claims/{id}/corrections", new { reason = "Date", correctsVersion = 3, statedAt = "2024-02-23T00:00:00Z" });
        corrected.Status.ShouldBe(HttpStatusCode.OK, corrected.Text);
        return id;
    }

    /// <summary>NDJSON is not one JSON document: read it as text.</summary>
    private async Task<(HttpStatusCode Status, string? ContentType, string Text)> Raw(string url)
    {
        using var response = await Api.Http.GetAsync(url);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static List<JsonNode> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

    private static List<string> Changes(JsonNode step) =>
        step["changes"]!.AsArray().Select(c => $"{c!["what"]}: {c["from"]} -> {c["to"]}").ToList();
}
