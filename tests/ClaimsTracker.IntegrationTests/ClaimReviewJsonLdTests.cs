using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The ClaimReview export read back by a real JSON-LD processor (jsonld.js, tests/jsonld), as a search engine would.</summary>
public sealed class ClaimReviewJsonLdTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const string Schema = "http://schema.org/";

    [Fact]
    public async Task the_claim_review_expands_without_loss_keeping_the_claim_rating_dates_and_claimant()
    {
        (await Api.Post("/api/parties", new { name = "Russia", aliases = new[] { "Kremlin" }, wikidata = "Q159" })).Status.ShouldBe(HttpStatusCode.Created);
        var id = await Api.RegisteredClaim(new
        {
            statement = "The gift breaches UN sanctions",
            parties = new[] { "kremlin", "North Korea" },
            firstReport = new { outlet = "Article by Zain ul Abedin", headline = "Putin Presents Car to Kim Jong Un", publishedAt = "2024-02-20T00:00:00Z" },
        });
        (await Api.Post($"/api/claims/{id}/reports", new { outlet = "Reuters", url = "https://example.org/reuters-aurus", publishedAt = "2024-02-21T00:00:00Z" }))
            .Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Post($"/api/claims/{id}/statements", new
        {
            source = new { name = "South Korea's foreign ministry", role = "spokesperson", party = (string?)null },
            stance = "asserts", quote = "The sanctions prohibit the supply of luxury vehicles.", statedAt = "2024-02-20T10:00:00Z",
        })).Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "confirmed", rationale = "Resolution 2397 bans vehicles." }))
            .Status.ShouldBe(HttpStatusCode.OK);

        var export = await Api.Get($"/api/claims/{id}/claimreview");

        export.Status.ShouldBe(HttpStatusCode.OK, export.Text);
        export.Text.ShouldNotContain(":null");
        var review = export.Json["@graph"]!.AsArray()[^1]!.AsObject();
        review["itemReviewed"]!["firstAppearance"]!["author"]!["name"]!.ToString().ShouldBe("Zain ul Abedin");
        review["itemReviewed"]!["firstAppearance"]!.AsObject().ContainsKey("publisher").ShouldBeFalse();
        review["itemReviewed"]!["appearance"]!.AsArray().Count.ShouldBe(2);

        var expanded = (await Expand(export.Text)).AsArray();

        var names = new HashSet<string>();
        PropertyNames(export.Json["@graph"], names);
        var kept = new HashSet<string>();
        PropertyNames(expanded, kept);
        names.Select(n => Schema + n).Except(kept).ShouldBeEmpty("every property of the export survives expansion");
        var verdict = expanded.Last()!;
        Value(verdict, "claimReviewed").ShouldBe("The gift breaches UN sanctions");
        Value(Node(verdict, "reviewRating"), "name").ShouldBe("confirmed");
        Value(Node(verdict, "reviewRating"), "alternateName").ShouldBe("confirmed");
        var published = Node(verdict, "datePublished");
        published["@type"]!.ToString().ShouldBe(Schema + "Date");
        DateTimeOffset.Parse(published["@value"]!.ToString()).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        var claim = Node(verdict, "itemReviewed");
        Value(Node(claim, "author"), "name").ShouldBe("South Korea's foreign ministry");
        Value(Node(Node(claim, "firstAppearance"), "datePublished"), null).ShouldBe("2024-02-20T00:00:00+00:00");
        Node(Node(claim, "appearance", 1), "url")["@id"]!.ToString().ShouldBe("https://example.org/reuters-aurus");
        Value(Node(claim, "about"), "name").ShouldBe("Russia");
        Node(Node(claim, "about"), "sameAs")["@id"]!.ToString().ShouldBe("http://www.wikidata.org/entity/Q159");
        Node(claim, "about", 1).AsObject().ContainsKey(Schema + "sameAs").ShouldBeFalse();
    }

    [Fact]
    public async Task a_verdict_with_rating_reviewer_claimant_and_citations_expands_with_all_of_them()
    {
        var id = await Api.RegisteredClaim();
        (await Api.Post($"/api/claims/{id}/verdicts", new
        {
            verdict = "false", rationale = "No shipment is documented.", claimant = "Social media posts",
            rating = new { name = "Pants on Fire", value = 1, best = 6, worst = 1 },
            reviewedBy = new { name = "Example Check", url = "https://check.example.org" },
            citations = new[] { "https://check.example.org/2024/02/missiles" },
        })).Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Post($"/api/claims/{id}/verdicts/withdrawal", new { reason = "Relied on a misread manifest." })).Status.ShouldBe(HttpStatusCode.OK);

        var export = await Api.Get($"/api/claims/{id}/claimreview");

        export.Status.ShouldBe(HttpStatusCode.OK, export.Text);
        export.Text.ShouldNotContain(":null");
        var expanded = (await Expand(export.Text)).AsArray();
        var names = new HashSet<string>();
        PropertyNames(export.Json["@graph"], names);
        var kept = new HashSet<string>();
        PropertyNames(expanded, kept);
        names.Select(n => Schema + n).Except(kept).ShouldBeEmpty("every property of the export survives expansion");
        var verdict = expanded.Single(r => r![Schema + "reviewRating"]![0]![Schema + "name"] is not null)!;
        var rating = Node(verdict, "reviewRating");
        (Value(rating, "name"), Value(rating, "ratingValue"), Value(rating, "bestRating"), Value(rating, "worstRating"))
            .ShouldBe(("Pants on Fire", "1", "6", "1"));
        Value(Node(verdict, "author"), "name").ShouldBe("Example Check");
        Node(Node(verdict, "author"), "url")["@id"]!.ToString().ShouldBe("https://check.example.org");
        Value(Node(Node(verdict, "itemReviewed"), "author"), "name").ShouldBe("Social media posts");
        Node(verdict, "citation").ToJsonString().ShouldContain("https://check.example.org/2024/02/missiles");
        Value(Node(expanded[^1]!, "reviewRating"), "alternateName").ShouldBe("unconfirmed");
    }

    [Fact]
    public async Task articles_known_only_to_the_month_or_day_are_dated_so_and_expand_as_dates()
    {
        var id = await Api.RegisteredClaim(new
        {
            statement = "Putin gave Kim Jong Un an Aurus Senat limousine", parties = new[] { "Russia" },
            firstReport = new { outlet = "KCNA", url = "https://example.org/kcna", publishedAt = "2024-02" },
        });
        (await Api.Post($"/api/claims/{id}/reports", new { outlet = "Reuters", url = "https://example.org/reuters", publishedAt = "2024-02-20" }))
            .Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Post($"/api/claims/{id}/reports", new { outlet = "AP", url = "https://example.org/ap", publishedAt = "2024" }))
            .Status.ShouldBe(HttpStatusCode.OK);
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms", "2024-02-20");

        var export = await Api.Get($"/api/claims/{id}/claimreview");
        var expanded = (await Expand(export.Text)).AsArray();

        var claim = Node(expanded[^1]!, "itemReviewed");
        Value(Node(claim, "firstAppearance"), "datePublished").ShouldBe("2024-02");
        new[] { 0, 1, 2 }.Select(i => Value(Node(claim, "appearance", i), "datePublished")).ShouldBe(["2024-02", "2024-02-20", "2024"]);
        Node(Node(claim, "appearance", 1), "datePublished")["@type"]!.ToString().ShouldBe(Schema + "Date");
    }

    private static JsonNode Node(JsonNode node, string property, int index = 0) => node[Schema + property]![index]!;

    private static string? Value(JsonNode node, string? property) =>
        (property is null ? node : Node(node, property))["@value"]?.ToString();

    private static void PropertyNames(JsonNode? node, HashSet<string> names)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    PropertyNames(item, names);
                }

                break;
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (!name.StartsWith('@') && value is not JsonArray { Count: 0 })
                    {
                        names.Add(name);
                    }

                    PropertyNames(value, names);
                }

                break;
        }
    }

    private static async Task<JsonNode> Expand(string document)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "jsonld");
        File.Exists(Path.Combine(folder, "node_modules", "jsonld", "package.json"))
            .ShouldBeTrue($"jsonld is not installed: run `npm ci` in {folder} (ops/test does)");
        var input = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, document);
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(folder, "expand.mjs"), input])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder,
            })!;
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            node.ExitCode.ShouldBe(0, await errors);
            return JsonNode.Parse(await output)!;
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ClaimsTracker.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ClaimsTracker.sln not found above the test's folder");
    }
}
