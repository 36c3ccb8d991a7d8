using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// A client generated from the served OpenAPI document by an independent generator (openapi-typescript, used with openapi-fetch;
/// tests/openapi-client, pinned by its lockfile) compiles under strict TypeScript and meets the contract on the real service.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TypedClientTests(AppFixture fixture)
{
    private static readonly string Folder = Path.Combine(BuiltService.RepositoryRoot, "tests", "openapi-client");
    private static readonly string Generated = Path.Combine(Folder, "generated");

    [Fact]
    public async Task a_client_generated_from_the_document_registers_a_claim_with_only_its_required_fields_and_meets_409_on_a_stale_expected_version()
    {
        File.Exists(Path.Combine(Folder, "node_modules", "openapi-typescript", "package.json"))
            .ShouldBeTrue($"openapi-typescript is not installed: run `npm ci` in {Folder} (ops/test does)");
        await using var service = await BuiltService.Start(fixture);
        using var http = new HttpClient { BaseAddress = service.Address };
        var api = new Api(http);
        var document = await api.Get("/openapi/v1.json");
        document.Status.ShouldBe(HttpStatusCode.OK);
        if (Directory.Exists(Generated))
        {
            Directory.Delete(Generated, recursive: true);
        }

        Directory.CreateDirectory(Generated);
        await File.WriteAllTextAsync(Path.Combine(Generated, "openapi.json"), document.Text);

        await Node("node_modules/openapi-typescript/bin/cli.js", "generated/openapi.json", "-o", "generated/schema.d.ts");
        await Node("node_modules/typescript/bin/tsc", "-p", ".");   // strict, and no output on any type error
        var run = await Node("generated/out/client.js", service.Address.ToString().TrimEnd('/'), AppFixture.EditorKey);

        var result = JsonNode.Parse(run.Trim().Split('\n')[^1])!;
        (result["registered"]!["status"]!.GetValue<int>(), result["registered"]!["version"]!.GetValue<long>()).ShouldBe((201, 1));
        (result["recorded"]!["status"]!.GetValue<int>(), result["recorded"]!["version"]!.GetValue<long>(), result["recorded"]!["claimStatus"]!.ToString())
            .ShouldBe((200, 2, "partially_confirmed"));
        var stale = result["stale"]!;
        (stale["status"]!.GetValue<int>(), stale["contentType"]!.ToString(), stale["problemStatus"]!.GetValue<int>()).ShouldBe((409, "application/problem+json", 409));
        stale["title"]!.ToString().ShouldBe("The claim has changed since you read it");
        var claim = await api.Get($"/api/claims/{result["claimId"]}");
        claim.Field("version").ShouldBe("2", "the refused write added nothing");
        (claim.Field("topics"), claim.Field("firstReport.outlet"), claim.Field("firstReport.url")).ShouldBe(("[]", "Reuters", null), "sent with only its required fields");
    }

    /// <summary>Runs a script of tests/openapi-client with node and returns what it printed; a non-zero exit fails the test.</summary>
    private static async Task<string> Node(string script, params string[] args)
    {
        using var node = Process.Start(new ProcessStartInfo("node", [script, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder,
        })!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        node.ExitCode.ShouldBe(0, $"node {script} failed:\n{await output}\n{await errors}");
        return await output;
    }
}
