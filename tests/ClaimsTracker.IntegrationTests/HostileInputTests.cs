using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Npgsql;
using Xunit.Abstractions;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// Generated hostile requests against the real API: every answer is below 500 and every refusal is problem
/// details; afterwards the store holds exactly the events of the requests that were accepted, so no refused
/// request left a trace, and the service still answers.
/// </summary>
public sealed class HostileInputTests(AppFixture fixture, ITestOutputHelper output) : IntegrationContext(fixture)
{
    private const int Requests = 10_000;

    [Fact]
    [Trait("Category", "Slow")]
    public async Task ten_thousand_hostile_requests_get_problem_details_never_a_5xx_and_leave_the_store_as_acknowledged()
    {
        var open = await Api.RegisteredClaim();
        var retracted = await Api.RegisteredClaim(Scenarios.WeaponsClaim("A claim the newsroom withdrew"));
        (await Api.Post($"/api/claims/{retracted}/retraction", new { reason = "Withdrawn" })).Status.ShouldBe(HttpStatusCode.OK);
        var targets = new Targets(open, retracted);
        var accepted = new ConcurrentBag<(Guid Claim, long Version)>
        {
            (Guid.Parse(open), 1), (Guid.Parse(retracted), 1), (Guid.Parse(retracted), 2),
        };
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var sent = 0;

        var generator = Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.Int[0, 1_000_000], Gen.String[0, 24],
            (route, mutation, detail, text) => HostileRequest.Build(targets, route, mutation, detail, text));
        await generator.SampleAsync(async request =>
        {
            Interlocked.Increment(ref sent);
            var reply = await Send(request);
            statuses.AddOrUpdate((int)reply.Status, 1, (_, n) => n + 1);
            if ((int)reply.Status >= 500)
            {
                failures.Enqueue($"{(int)reply.Status} for {request}: {reply.Text}");
            }
            else if ((int)reply.Status >= 400 && reply.ContentType != "application/problem+json")
            {
                failures.Enqueue($"{(int)reply.Status} without problem details ({reply.ContentType}) for {request}");
            }
            else if (reply.Status is HttpStatusCode.OK or HttpStatusCode.Created && request.Method == "POST")
            {
                var claim = reply.Field("id") ?? request.ClaimId!;
                accepted.Add((Guid.Parse(claim), long.Parse(reply.Field("version")!, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }, iter: Requests, threads: 4, print: r => r.ToString());

        var stored = await StoredEvents();
        output.WriteLine($"hostile input: {sent} requests; answers {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; " +
                         $"{accepted.Count} events acknowledged, {stored.Count} stored, {failures.Count} failures");
        failures.Take(10).ShouldBeEmpty();
        sent.ShouldBeGreaterThanOrEqualTo(Requests);
        stored.ShouldBe(accepted.Order().ToList());
        statuses.Keys.Count(s => s >= 400).ShouldBeGreaterThan(3);
        (await Api.Get("/health/live")).Status.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<Reply> Send(HostileRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        message.Headers.TryAddWithoutValidation("Authorization", $"Bearer {AppFixture.EditorKey}");
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Api.Http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        var contentType = response.Content.Headers.ContentType?.MediaType;
        JsonNode? body = null;
        if (contentType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0)
        {
            body = JsonNode.Parse(text);
        }

        return new Reply(response.StatusCode, body, response.Headers, contentType, text);
    }

    private async Task<List<(Guid, long)>> StoredEvents()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select stream_id, version from claims.mt_events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(Guid, long)>();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetGuid(0), reader.GetInt64(1)));
        }

        return events.Order().ToList();
    }
}

public sealed record Targets(string Open, string Retracted);

/// <summary>One generated request: a route, a body built from a valid one and then broken, and headers.</summary>
public sealed record HostileRequest(string Method, string Path, byte[]? Body, string ContentType, (string, string)[] Headers, string Kind,
    string? ClaimId)
{
    private static readonly string[] WriteRoutes = ["statements", "reports", "evidence", "verdicts", "corrections", "retraction", "statements/batch"];

    private static readonly JsonNode?[] HostileValues =
    [
        null, 0, -1, long.MaxValue, 1.5e308, true, new JsonArray(), new JsonObject(), "", " ", "\u0000", "\u0007bell",
        "\u202Egnp.exe\u202C", "\u2066isolate\u2069", "\u200B\uFEFF", "\uD800", "<script>alert(1)</script>", "' or 1=1 --",
        "confirmed ", "CONFIRMS", "maybe", "2024-13-45T99:00:00Z", "yesterday", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z", "2024-02-20", "javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x",
        "not-a-guid", "00000000-0000-0000-0000-000000000000", new string('x', 5000), new string('\u0645', 3000),
    ];

    private static readonly string[] BadIds =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", Guid.Empty.ToString("N") + "0", "%20", "..%2F..%2Fetc",
        "123", new string('9', 400), "%E2%80%AE", "{claimId}", Guid.NewGuid().ToString(),
    ];

    private static readonly string[] BadQueries =
    [
        "?asOf=yesterday", "?worldAt=2024-13-01", "?asOf=9999-99-99T00:00:00Z", "?page=-1", "?pageSize=100000000000",
        "?page=abc", "?status=maybe", "?status=%00", "?q=%E2%80%AE", "?party=" + new string('p', 3000), "?asOf=&worldAt=",
    ];

    public override string ToString() =>
        $"{Kind}: {Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} body {Body?.Length ?? 0} bytes " +
        $"{(Body is { Length: < 300 } b ? Encoding.UTF8.GetString(b) : "")}";

    public static HostileRequest Build(Targets targets, int route, int mutation, int detail, string text)
    {
        var onRetracted = route % 7 == 0;
        var claimId = onRetracted ? targets.Retracted : targets.Open;
        var write = route % 9;   // 0-6 appends, 7 register, 8 reads
        if (write == 8)
        {
            var (path, readKind) = (mutation % 3) switch
            {
                0 => ($"/api/claims/{BadIds[detail % BadIds.Length]}", "bad id on a read"),
                1 => ($"/api/claims{BadQueries[detail % BadQueries.Length]}", "bad query on the list"),
                _ => ($"/api/claims/{claimId}{BadQueries[detail % BadQueries.Length]}", "bad query on a claim"),
            };
            return new HostileRequest("GET", path, null, "", [], readKind, null);
        }

        var register = write == 7;
        var target = register ? "/api/claims" : $"/api/claims/{claimId}/{WriteRoutes[write]}";
        var template = register ? RegisterBody() : AppendBody(WriteRoutes[write]);
        var headers = Array.Empty<(string, string)>();
        string? usedId = register ? null : claimId;
        byte[] body;
        string kind;
        switch (mutation % 12)
        {
            case 0:
                kind = "valid body";
                body = Utf8(template.ToJsonString());
                break;
            case 1:
                var json = template.ToJsonString();
                kind = "truncated JSON";
                body = Utf8(json[..(detail % json.Length)]);
                break;
            case 2:
                kind = "wrong type or hostile value";
                body = Utf8(Replace(template, detail, HostileValues[(detail / 7) % HostileValues.Length]?.DeepClone()).ToJsonString());
                break;
            case 3:
                kind = "generated text in a field";
                body = Utf8(Replace(template, detail, text).ToJsonString());
                break;
            case 4:
                kind = "deeply nested";
                var depth = 64 + detail % 20_000;
                body = Utf8(new string('[', depth) + new string(']', depth));
                break;
            case 5:
                kind = "huge body";
                body = Utf8($"{{\"statement\":\"{new string('a', 70_000 + detail % 200_000)}\"}}");
                break;
            case 6:
                kind = "not JSON";
                body = (detail % 4) switch
                {
                    0 => Utf8(text),
                    1 => [0xff, 0xfe, 0x00, 0x7b, 0x22, (byte)(detail % 256)],
                    2 => Utf8("null"),
                    _ => Utf8("[1,2,3]"),
                };
                break;
            case 7:
                kind = "unknown id";
                target = register ? target : $"/api/claims/{BadIds[detail % BadIds.Length]}/{WriteRoutes[write]}";
                usedId = null;
                body = Utf8(template.ToJsonString());
                break;
            case 8:
                kind = "oversized or hostile header";
                headers = (detail % 4) switch
                {
                    0 => [("Idempotency-Key", new string('k', 300 + detail % 20_000))],
                    1 => [("Idempotency-Key", "key\u0001with\u007fcontrols")],
                    2 => [("X-Correlation-Id", "\u202Ecorrelation")],
                    _ => [("X-Correlation-Id", new string('c', 16_000))],
                };
                body = Utf8(template.ToJsonString());
                break;
            case 9:
                kind = "stale or impossible expectedVersion";
                template["expectedVersion"] = (detail % 3) switch { 0 => 0, 1 => 1_000_000, _ => long.MinValue };
                body = Utf8(register ? "{\"expectedVersion\":-5}" : template.ToJsonString());
                break;
            case 10:
                kind = "duplicate and unknown members";
                var raw = template.ToJsonString();
                body = Utf8(raw[..^1] + $",\"unexpected\":{{\"nested\":[1,2]}},\"{text.Replace("\"", "", StringComparison.Ordinal)}\":1}}");
                break;
            default:
                kind = "valid body with a wrong content type";
                body = Utf8(template.ToJsonString());
                return new HostileRequest("POST", target, body, detail % 2 == 0 ? "text/plain" : "application/xml", headers, kind, usedId);
        }

        return new HostileRequest("POST", target, body, "application/json", headers, kind, usedId);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Replaces one member (possibly nested) of a body picked by <paramref name="which"/>.</summary>
    private static JsonObject Replace(JsonObject body, int which, JsonNode? value)
    {
        var members = new List<(JsonObject Parent, string Name)>();
        void Collect(JsonObject o)
        {
            foreach (var (name, child) in o.ToList())
            {
                members.Add((o, name));
                if (child is JsonObject nested)
                {
                    Collect(nested);
                }
            }
        }

        Collect(body);
        var (parent, member) = members[which % members.Count];
        parent[member] = value;
        return body;
    }

    public static JsonObject RegisterBody() => new()
    {
        ["statement"] = "North Korea has supplied rockets and missiles to Russia",
        ["parties"] = new JsonArray("Russia", "North Korea"),
        ["topics"] = new JsonArray("weapons"),
        ["firstReport"] = new JsonObject
        {
            ["outlet"] = "Example Wire", ["url"] = "https://example.org/a", ["headline"] = "Weapons",
            ["publishedAt"] = "2024-02-20T00:00:00Z",
        },
    };

    public static JsonObject AppendBody(string route) => route switch
    {
        "batch" or "statements/batch" => new JsonObject { ["statements"] = new JsonArray(AppendBody("statements")) },
        "statements" => new JsonObject
        {
            ["source"] = new JsonObject { ["name"] = "Dmitry Peskov", ["role"] = "spokesperson", ["party"] = "Russia" },
            ["stance"] = "confirms", ["quote"] = "On the record.", ["statedAt"] = "2024-02-20T09:00:00Z",
        },
        "reports" => new JsonObject
        {
            ["outlet"] = "Example Wire", ["url"] = "https://example.org/b", ["headline"] = "Again",
            ["publishedAt"] = "2024-02-21T00:00:00Z",
        },
        "evidence" => new JsonObject
        {
            ["kind"] = "document", ["url"] = "https://example.org/doc", ["description"] = "A manifest",
            ["bearing"] = "supports", ["observedAt"] = "2024-02-20T00:00:00Z",
        },
        "verdicts" => new JsonObject { ["verdict"] = "unproven", ["rationale"] = "Not enough yet" },
        "claimreview" => new JsonObject
        {
            ["@type"] = "ClaimReview", ["claimReviewed"] = "Kim Jong Un owns a collection of luxury cars",
            ["datePublished"] = "2024-02-24", ["author"] = new JsonObject { ["name"] = "Example Check" },
            ["reviewRating"] = new JsonObject { ["alternateName"] = "True" },
            ["itemReviewed"] = new JsonObject { ["author"] = "Reuters", ["datePublished"] = "2024-02-20" },
        },
        "corrections" => new JsonObject { ["reason"] = "Typo", ["statement"] = "North Korea has supplied rockets to Russia" },
        _ => new JsonObject { ["reason"] = "Withdrawn by the desk" },
    };
}
