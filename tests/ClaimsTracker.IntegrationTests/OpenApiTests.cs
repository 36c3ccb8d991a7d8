using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The served OpenAPI document says who may call each operation and every status it answers, and lints clean.</summary>
public sealed class OpenApiTests(AppFixture fixture, ITestOutputHelper output) : IntegrationContext(fixture)
{
    private static readonly string[] WriteRefusals = ["400", "401", "403", "413", "429", "503"];

    [Fact]
    public async Task the_served_document_has_no_errors_under_redocly_recommended_rules()
    {
        var document = await Api.Get("/openapi/v1.json");
        document.Status.ShouldBe(HttpStatusCode.OK);

        var report = await Lint(document.Text);

        var problems = report["problems"]!.AsArray()
            .Select(p => $"{p!["severity"]} {p["ruleId"]} at {p["location"]?[0]?["pointer"]}: {p["message"]}").ToList();
        output.WriteLine(string.Join('\n', problems));
        report["totals"]!["errors"]!.GetValue<int>().ShouldBe(0, string.Join('\n', problems));
        // kept on purpose: no license is stated yet, the test host's server is localhost,
        // and the public log's checkpoint and keys answer every caller, so they have no 4XX to declare
        problems.Where(p => !p.StartsWith("error", StringComparison.Ordinal)).ShouldAllBe(p =>
            p.StartsWith("warn info-license", StringComparison.Ordinal) || p.StartsWith("warn no-server-example.com", StringComparison.Ordinal) ||
            (p.StartsWith("warn operation-4xx-response at #/paths/~1", StringComparison.Ordinal) &&
             (p.Contains("~1log~1checkpoint/", StringComparison.Ordinal) || p.Contains("~1api~1audit~1log~1key", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task public_reads_declare_no_security_and_admin_operations_and_writes_the_bearer_key()
    {
        var paths = await Paths();

        Security(paths, "get", "/api/claims").ShouldBeEmpty();
        Security(paths, "get", "/log/checkpoint").ShouldBeEmpty();
        foreach (var (method, path) in new[]
                 {
                     ("get", "/api/admin/projections"), ("get", "/api/admin/verify"), ("get", "/api/admin/webhooks"),
                     ("delete", "/api/admin/webhooks/{id}"), ("post", "/api/claims"), ("post", "/api/claims/{claimId}/statements"),
                 })
        {
            Security(paths, method, path).Select(s => s!.ToJsonString()).ShouldBe(["""{"apiKey":[]}"""], $"{method} {path}");
        }
    }

    [Fact]
    public async Task every_write_documents_its_refusals_as_problem_details()
    {
        var paths = await Paths();
        var writes = paths.SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "post" or "delete").Select(o => (Route: $"{o.Key} {p.Key}", Op: o.Value!)))
            .ToList();

        writes.Count.ShouldBeGreaterThanOrEqualTo(15);
        foreach (var (route, op) in writes)
        {
            var responses = op["responses"]!.AsObject();
            // a DELETE has no body or header to get wrong, and an id that does not parse matches no route (404)
            // an import's oversized body is bad input, named in a 400
            WriteRefusals.Except(route.StartsWith("delete", StringComparison.Ordinal) ? ["400"] : [])
                .Except(route == "post /api/import/claimreview" ? ["413"] : []).Except(responses.Select(r => r.Key))
                .ShouldBeEmpty(route);
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                response!["content"]!.AsObject().Select(c => c.Key).ShouldBe(["application/problem+json"], $"{route} {status}");
            }

            if (route.Contains("{claimId}", StringComparison.Ordinal))
            {
                responses.Select(r => r.Key).ShouldContain("404", route);
            }

            // a stale expectedVersion comes in a body: a DELETE carries none
            if (route.StartsWith("post", StringComparison.Ordinal) && route.Contains("{claimId}", StringComparison.Ordinal))
            {
                responses.Select(r => r.Key).ShouldContain("409", route);
            }
        }

        Statuses(paths, "post", "/api/import/claimreview").ShouldNotContain("413");
        paths["/api/import/claimreview"]!["post"]!["responses"]!["400"]!["description"]!.ToString().ShouldContain("a body over the limit");
        Statuses(paths, "post", "/api/claims").ShouldNotContain("200");
        Statuses(paths, "post", "/api/claims").ShouldContain("201");
        Statuses(paths, "delete", "/api/admin/webhooks/{id}").ShouldContain("404");
    }

    [Fact]
    public async Task list_routes_list_no_404_and_the_server_url_has_no_trailing_slash()
    {
        var document = (await Api.Get("/openapi/v1.json")).Json;
        var paths = document["paths"]!.AsObject();

        foreach (var list in new[] { "/api/claims", "/api/sources", "/api/parties", "/api/admin/webhooks", "/api/admin/projections" })
        {
            Statuses(paths, "get", list).ShouldNotContain("404", list);
        }

        Statuses(paths, "get", "/api/claims/{claimId}").ShouldContain("404");
        document["servers"]!.AsArray().ShouldAllBe(s => !s!["url"]!.ToString().EndsWith('/'));
    }

    [Fact]
    public async Task a_claims_body_requires_only_what_the_service_refuses_missing_and_offers_null_only_where_it_may_be_omitted()
    {
        var document = (await Api.Get("/openapi/v1.json")).Json;

        var claim = Body(document, "post", "/api/claims");
        Required(claim).ShouldBe(["statement", "parties", "firstReport"], ignoreOrder: true);
        Types(claim, "statement").ShouldBe(["string"]);
        Types(claim, "parties").ShouldBe(["array"]);
        Types(claim, "topics").ShouldBe(["null", "array"], ignoreOrder: true);
        claim["properties"]!["firstReport"]!["$ref"]!.ToString().ShouldBe("#/components/schemas/ArticleInput", "a required object is not oneOf null");
        Required(Schema(document, "ArticleInput")).ShouldBe(["outlet", "publishedAt"], ignoreOrder: true);

        var statement = Body(document, "post", "/api/claims/{claimId}/statements");
        Required(statement).ShouldBe(["source", "stance", "statedAt"], ignoreOrder: true);
        statement["properties"]!["reportedIn"]!["oneOf"]!.AsArray().Select(s => s!.ToJsonString())
            .ShouldBe(["""{"type":"null"}""", """{"$ref":"#/components/schemas/ArticleInput"}"""]);
        Required(Schema(document, "SourceInput")).ShouldBe(["name"]);
        Types(Schema(document, "SourceInput"), "party").ShouldBe(["null", "string"], ignoreOrder: true, "a third party's source sends party null");
        Body(document, "post", "/api/claims/{claimId}/corrections")["properties"]!.AsObject().Select(p => p.Key)
            .ShouldNotContain(p => p.StartsWith("corrects", StringComparison.Ordinal) && p != "correctsVersion" || p == "takenWhenRetracted");
    }

    [Fact]
    public async Task every_success_but_a_204_declares_its_body_and_media_type()
    {
        var paths = await Paths();
        var bare = (from path in paths
                    from operation in path.Value!.AsObject()
                    from response in operation.Value!["responses"]!.AsObject()
                    where response.Key.StartsWith('2') && response.Key != "204"
                    let content = response.Value!["content"]?.AsObject()
                    where content is null || content.Count == 0 || content.Any(c => c.Value?["schema"] is null)
                    select $"{operation.Key.ToUpperInvariant()} {path.Key} {response.Key}").ToList();

        bare.ShouldBeEmpty();
        paths["/api/claims/{claimId}/events.ndjson"]!["get"]!["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key).ShouldBe(["application/x-ndjson"]);
        paths["/api/audit/events.csv"]!["get"]!["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key).ShouldBe(["text/csv"]);
    }

    [Fact]
    public async Task a_field_from_a_vocabulary_lists_exactly_the_words_the_service_takes()
    {
        var document = (await Api.Get("/openapi/v1.json")).Json;

        Listed(Body(document, "post", "/api/claims/{claimId}/statements"), "stance").ShouldBe(Claims.Words.All<Claims.Stance>());
        Listed(Body(document, "post", "/api/claims/{claimId}/statements"), "quoteKind").ShouldBe(Claims.Words.All<Claims.QuoteKind>());
        Listed(Body(document, "post", "/api/claims/{claimId}/evidence"), "bearing").ShouldBe(Claims.Words.All<Claims.Bearing>());
        Listed(Body(document, "post", "/api/claims/{claimId}/verdicts"), "verdict").ShouldBe(Claims.Words.All<Claims.Verdict>());
        Listed(Body(document, "post", "/api/claims/{claimId}/relations"), "kind").ShouldBe(Claims.Words.All<Claims.RelationKind>());
        Listed(Body(document, "post", "/api/claims/{claimId}/corrections"), "stance").ShouldBe(Claims.Words.All<Claims.Stance>());

        // and each is what a refusal names: a word outside the list is answered with the list
        var id = await Api.RegisteredClaim();
        var refused = await Api.Post($"/api/claims/{id}/statements", new
        {
            source = new { name = "Someone" }, stance = "maybe", statedAt = "2024-02-20T00:00:00Z",
        });
        refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
        refused.Json["errors"]!["stance"]![0]!.ToString().ShouldBe(Claims.ClaimValidation.OneOf(typeof(Claims.Stance)));
    }

    [Fact]
    public async Task every_write_refuses_an_empty_body_naming_exactly_the_fields_its_document_requires()
    {
        var document = (await Api.Get("/openapi/v1.json")).Json;
        var writes = document["paths"]!.AsObject().Where(p => p.Value!["post"]?["requestBody"]?["content"]?["application/json"] is not null)
            .Select(p => p.Key).ToList();

        writes.Count.ShouldBeGreaterThanOrEqualTo(13);
        foreach (var path in writes)
        {
            var required = Required(Body(document, "post", path));
            var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());
            var reply = await Api.Post(url, new { }, path.StartsWith("/api/admin", StringComparison.Ordinal) ? AppFixture.AdminKey : AppFixture.EditorKey);

            reply.Status.ShouldBe(HttpStatusCode.BadRequest, $"{path}: {reply.Text}");
            var named = reply.Json["errors"]!.AsObject().Select(e => e.Key).ToList();
            required.ShouldNotBeEmpty(path);
            // a correction must change something, but no one field of those it may change is required
            named.Except(path.EndsWith("/corrections", StringComparison.Ordinal) ? ["statement"] : []).ShouldBe(required, ignoreOrder: true, path);
        }
    }

    private static JsonObject Body(JsonNode document, string method, string path) =>
        Schema(document, document["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.ToString().Split('/')[^1]);

    private static JsonObject Schema(JsonNode document, string name) => document["components"]!["schemas"]![name]!.AsObject();

    private static List<string> Listed(JsonObject schema, string property) =>
        schema["properties"]![property]!["enum"]?.AsArray().Select(w => w!.ToString()).ToList() ?? [];

    private static List<string> Required(JsonObject schema) => schema["required"]?.AsArray().Select(r => r!.ToString()).ToList() ?? [];

    private static List<string> Types(JsonObject schema, string property) => schema["properties"]![property]!["type"] switch
    {
        JsonArray types => types.Select(t => t!.ToString()).ToList(),
        var type => [type!.ToString()],
    };

    private async Task<JsonObject> Paths() => (await Api.Get("/openapi/v1.json")).Json["paths"]!.AsObject();

    private static JsonArray Security(JsonObject paths, string method, string path) =>
        paths[path]![method]!["security"]?.AsArray() ?? throw new ShouldAssertException($"{method} {path} declares no security");

    private static List<string> Statuses(JsonObject paths, string method, string path) =>
        paths[path]![method]!["responses"]!.AsObject().Select(r => r.Key).ToList();

    /// <summary>Redocly's report on the document (tests/openapi, pinned by its lockfile; ops/test installs it).</summary>
    private static async Task<JsonNode> Lint(string document)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "openapi");
        var cli = Path.Combine(folder, "node_modules", "@redocly", "cli", "bin", "cli.js");
        File.Exists(cli).ShouldBeTrue($"@redocly/cli is not installed: run `npm ci` in {folder} (ops/test does)");
        var input = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, document);
        try
        {
            var start = new ProcessStartInfo("node", [cli, "lint", "--extends=recommended", "--format=json", input])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder,
            };
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var node = Process.Start(start)!;
            var report = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            var text = await report;
            text.ShouldNotBeNullOrWhiteSpace(await errors);
            return JsonNode.Parse(text)!;
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
