using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace ClaimsTracker.IntegrationTests;

/// <summary>Every route × every kind of credential gets the documented answer, and every event names its actor.</summary>
public sealed class AccessMatrixTests(AppFixture fixture, ITestOutputHelper output) : IntegrationContext(fixture)
{
    private enum Access { Public, Read, Write, Admin, Anyone }

    private const int Allowed = 0;   // any answer below 500 other than 401 and 403 (e.g. 404 for an unknown webhook)

    private static readonly (string Method, string Route, Access Access)[] Routes =
    [
        ("GET", "/health", Access.Public),
        ("GET", "/health/live", Access.Public),
        ("GET", "/health/ready", Access.Public),
        ("GET", "/openapi/{documentName}.json", Access.Public),
        ("GET", "/docs/{documentName?}", Access.Public),
        ("GET", "/docs/scalar.js", Access.Public),
        ("GET", "/docs/scalar.aspnetcore.js", Access.Public),
        ("GET", "/docs/favicon.svg", Access.Public),
        ("GET", "/signin", Access.Public),
        ("POST", "/signin", Access.Anyone),
        ("POST", "/signout", Access.Anyone),
        // the public log needs no key; without the sizes a proof is a 400 and an unknown tile a 404, for every caller
        ("GET", "/log/checkpoint", Access.Public),
        ("GET", "/api/audit/log/key", Access.Public),
        ("GET", "/api/audit/log/keys", Access.Public),
        ("GET", "/log/tile/{*path}", Access.Anyone),
        ("GET", "/api/audit/log/proof/inclusion", Access.Anyone),
        ("GET", "/api/audit/log/proof/consistency", Access.Anyone),
        ("GET", "/", Access.Read),
        ("GET", "/claims/{claimId}", Access.Read),
        ("GET", "/activity", Access.Read),
        ("GET", "/sources", Access.Read),
        ("GET", "/sources/{sourceId}", Access.Read),
        ("GET", "/parties", Access.Read),
        ("GET", "/ops/projections", Access.Read),
        ("GET", "/events/stream", Access.Read),
        ("GET", "/claims/{claimId}/replay", Access.Read),
        ("GET", "/corrections", Access.Read),
        ("GET", "/api/claims/{claimId}/replay", Access.Read),
        ("GET", "/api/claims/{claimId}/claimreview", Access.Read),
        ("GET", "/api/audit/log/entry", Access.Anyone),
        ("GET", "/api/audit/events.ndjson", Access.Read),
        ("GET", "/api/audit/events.csv", Access.Read),
        ("GET", "/api/claims/{claimId}/events.ndjson", Access.Read),
        ("GET", "/api/claims/{claimId}/events.csv", Access.Read),
        ("POST", "/api/admin/import", Access.Admin),
        ("GET", "/api/admin/verify", Access.Admin),
        ("GET", "/api/admin/projections", Access.Admin),
        ("GET", "/api/admin/projections/{name}", Access.Admin),
        ("POST", "/api/admin/projections/{name}/rebuild", Access.Admin),
        ("POST", "/api/admin/projections/rebuild", Access.Admin),
        ("GET", "/api/admin/projections/rebuilds", Access.Admin),
        ("GET", "/api/admin/webhooks", Access.Admin),
        ("POST", "/api/admin/webhooks", Access.Admin),
        ("DELETE", "/api/admin/webhooks/{id}", Access.Admin),
        ("GET", "/metrics", Access.Admin),
        ("GET", "/api/claims", Access.Read),
        ("GET", "/api/claims/{claimId}", Access.Read),
        ("GET", "/api/claims/{claimId}/timeline", Access.Read),
        ("GET", "/api/claims/{claimId}/history", Access.Read),
        ("GET", "/api/sources", Access.Read),
        ("GET", "/api/sources/{sourceId}", Access.Read),
        ("GET", "/api/parties", Access.Read),
        ("GET", "/api/parties/{partyId}", Access.Read),
        ("POST", "/api/parties", Access.Write),
        ("POST", "/api/parties/{partyId}/aliases", Access.Write),
        ("POST", "/api/claims", Access.Write),
        ("POST", "/api/claims/{claimId}/statements", Access.Write),
        ("POST", "/api/claims/{claimId}/statements/batch", Access.Write),
        ("POST", "/api/claims/{claimId}/reports", Access.Write),
        ("POST", "/api/claims/{claimId}/evidence", Access.Write),
        ("POST", "/api/claims/{claimId}/verdicts", Access.Write),
        ("POST", "/api/claims/{claimId}/corrections", Access.Write),
        ("POST", "/api/claims/{claimId}/relations", Access.Write),
        ("DELETE", "/api/claims/{claimId}/relations/{otherId}", Access.Write),
        ("POST", "/api/claims/{claimId}/retraction", Access.Write),
        ("POST", "/api/claims/{claimId}/verdicts/withdrawal", Access.Write),
        ("POST", "/api/import/claimreview", Access.Write),
    ];

    private static readonly (string Name, string? Authorization)[] Credentials =
    [
        ("no key", null),
        ("reader", $"Bearer {AppFixture.ReaderKey}"),
        ("editor", $"Bearer {AppFixture.EditorKey}"),
        ("admin", $"Bearer {AppFixture.AdminKey}"),
        ("revoked", $"Bearer {AppFixture.RevokedKey}"),
        ("unknown", "Bearer test-editor-key-guessed"),
        ("malformed: not bearer", $"Token {AppFixture.EditorKey}"),
        ("malformed: empty bearer", "Bearer    "),
        ("malformed: control characters", $"Bearer {AppFixture.EditorKey}\u0001"),
    ];

    [Fact]
    public void the_matrix_covers_every_route_the_service_maps()
    {
        var mapped = Fixture.Host.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Where(r => !r.StartsWith("HEAD ", StringComparison.Ordinal) && !r.StartsWith("OPTIONS ", StringComparison.Ordinal))
            .Distinct().Order().ToList();

        mapped.ShouldBe(Routes.Select(r => $"{r.Method} {r.Route}").Order().ToList(),
            "a new route needs its row in the access matrix");
    }

    [Fact]
    public async Task every_route_and_credential_gets_the_documented_answer_and_every_event_names_its_actor()
    {
        var sources = await Api.RegisteredClaim();
        await Api.StatementFrom(sources, "Dmitry Peskov", "Russia", "confirms");
        var party = (await Api.Post("/api/parties", new { name = "North Korea" })).Field("id")!;
        await ProjectionsCaughtUp();
        var checkedCount = 0;
        var writes = 0;

        foreach (var (method, route, access) in Routes)
        {
            foreach (var (credential, authorization) in Credentials)
            {
                var claim = await Api.RegisteredClaim();
                var version = "1";
                var related = route.Contains("/relations/", StringComparison.Ordinal);
                if (related)
                {
                    (await Api.Post($"/api/claims/{claim}/relations", new { kind = "contradicts", claimId = sources })).Status.ShouldBe(HttpStatusCode.OK);
                    version = "2";
                }

                if (route.EndsWith("/verdicts/withdrawal", StringComparison.Ordinal))
                {
                    // only a verdict in force can be withdrawn
                    (await Api.Post($"/api/claims/{claim}/verdicts", HostileRequest.AppendBody("verdicts").ToJsonString())).Status.ShouldBe(HttpStatusCode.OK);
                    version = "2";
                }

                var url = route.Replace("{claimId}", claim, StringComparison.Ordinal)
                    .Replace("{sourceId}", "dmitry-peskov", StringComparison.Ordinal)
                    .Replace("{documentName}.json", "v1.json", StringComparison.Ordinal)
                    .Replace("{documentName?}", "", StringComparison.Ordinal)
                    .Replace("{name}", "NoSuchProjection", StringComparison.Ordinal)
                    .Replace("{*path}", "entries/000.p/1", StringComparison.Ordinal)
                    .Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                    .Replace("{partyId}", party, StringComparison.Ordinal)
                    .Replace("{otherId}", sources, StringComparison.Ordinal);
                var body = (method, access) switch
                {
                    ("POST", Access.Write) when route.StartsWith("/api/parties", StringComparison.Ordinal) =>
                        $$"""{ "name": "Party {{checkedCount}}", "aliases": ["Alias {{checkedCount}}"], "alias": "Alias {{checkedCount}}" }""",
                    ("POST", Access.Write) when route.EndsWith("/relations", StringComparison.Ordinal) =>
                        $$"""{ "kind": "contradicts", "claimId": "{{sources}}" }""",
                    ("POST", Access.Write) => (route == "/api/claims"
                        ? HostileRequest.RegisterBody()
                        : HostileRequest.AppendBody(route.Split('/')[^1])).ToJsonString(),
                    ("POST", _) => "{}",
                    _ => null,
                };
                var reply = await Send(method, url, body, authorization);

                var expected = Expected(access, credential);
                var status = (int)reply.Status;
                if (expected == Allowed)
                {
                    status.ShouldBeLessThan(500, $"{credential} on {method} {route}: {reply.Text}");
                    status.ShouldNotBeOneOf([401, 403], $"{credential} on {method} {route}: {reply.Text}");
                }
                else
                {
                    (status / 100 == 2 ? 200 : status).ShouldBe(expected, $"{credential} on {method} {route}: {reply.Text}");
                }
                if (expected >= 400)
                {
                    reply.ContentType.ShouldBe("application/problem+json", $"{credential} on {method} {route}");
                    (await Api.Get($"/api/claims/{claim}")).Field("version").ShouldBe(version, $"{credential} on {method} {route} wrote");
                }

                if (expected == 401)
                {
                    reply.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
                }

                if (method == "POST" && access == Access.Write && expected == 200)
                {
                    writes++;
                }

                checkedCount++;
            }
        }

        var actors = await ActorsOfEveryEvent();
        actors.ShouldNotContainKey("");
        actors.Keys.ShouldBe(["test-admin", "test-editor"], ignoreOrder: true);
        output.WriteLine($"access matrix: {Routes.Length} routes × {Credentials.Length} credentials = {checkedCount} requests; " +
                         $"{writes} accepted writes; {actors.Values.Sum()} events, each with its actor");
    }

    private static int Expected(Access access, string credential) => (access, credential) switch
    {
        (Access.Public, _) => 200,
        (Access.Anyone, _) => Allowed,
        (_, "revoked" or "unknown") => 401,
        _ when credential.StartsWith("malformed", StringComparison.Ordinal) => 401,
        (Access.Read, _) => 200,
        (Access.Write, "no key") => 401,
        (Access.Write, "reader") => 403,
        (Access.Admin, "no key") => 401,
        (Access.Admin, "reader" or "editor") => 403,
        (Access.Admin, _) => Allowed,
        _ => 200,
    };

    /// <summary>Reads the body only of refusals: the live event stream never ends.</summary>
    private async Task<Reply> Send(string method, string url, string? body, string? authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await Api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = (int)response.StatusCode >= 400 ? await response.Content.ReadAsStringAsync() : "";
        return new Reply(response.StatusCode, null, response.Headers, response.Content.Headers.ContentType?.MediaType, text);
    }

    /// <summary>The user name Marten stored on each event, counted per actor ("" for an event without one).</summary>
    private async Task<Dictionary<string, int>> ActorsOfEveryEvent()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select coalesce(user_name, ''), count(*) from claims.mt_events group by 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var actors = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            actors[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return actors;
    }
}
