using System.Net;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// A body that is not the JSON a write takes is a 400 problem in the caller's words: what was wrong and where, never
/// the name of a .NET type or the text of an exception.
/// </summary>
public sealed class MalformedBodyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const string Statement = "\"source\":{\"name\":\"Dmitry Peskov\",\"party\":\"Russia\"},\"stance\":\"confirms\",\"statedAt\":\"2024-02-20T09:00:00Z\"";

    public static TheoryData<string, string> Bodies => new()
    {
        { "nested deeper than 64 levels", $$"""{{{Statement}},"extra":{{new string('[', 200)}}{{new string(']', 200)}}}""" },
        { "nested deeper than 64 levels at the root", new string('[', 5000) + new string(']', 5000) },
        { "a string for an object", """{"source":"Dmitry Peskov","stance":"confirms","statedAt":"2024-02-20T09:00:00Z"}""" },
        { "an array for a string", """{"source":{"name":["Dmitry Peskov"]},"stance":"confirms","statedAt":"2024-02-20T09:00:00Z"}""" },
        { "a number for a stance", """{"source":{"name":"Dmitry Peskov"},"stance":5,"statedAt":"2024-02-20T09:00:00Z"}""" },
        { "an unknown stance", """{"source":{"name":"Dmitry Peskov"},"stance":"maybe","statedAt":"2024-02-20T09:00:00Z"}""" },
        { "an unparseable time", """{"source":{"name":"Dmitry Peskov"},"stance":"confirms","statedAt":"20 Feb"}""" },
        { "words for a version", $$"""{{{Statement}},"expectedVersion":"two"}""" },
        { "a version too large", $$"""{{{Statement}},"expectedVersion":1e400}""" },
        { "truncated in a member", """{"source":{"name":"Dmitry Pes""" },
        { "truncated after a name", """{"source":""" },
        { "a missing colon", """{"source" {"name":"Dmitry Peskov"}}""" },
        { "single quotes", "{'stance':'confirms'}" },
        { "a trailing comma", $$"""{{{Statement}},}""" },
        { "two documents", $$"""{{{Statement}}} {}""" },
        { "not JSON at all", "stance=confirms" },
        { "an empty body", "" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task a_malformed_statement_body_is_a_400_problem_naming_no_dotnet_type(string what, string body)
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements", body);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, $"{what}: {reply.Text}");
        reply.ContentType.ShouldBe("application/problem+json", what);
        InTheCallersWords(reply.Text, what);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("1");
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task a_malformed_registration_body_is_a_400_problem_naming_no_dotnet_type(string what, string body)
    {
        var reply = await Api.Post("/api/claims", body.Replace("\"source\"", "\"firstReport\"", StringComparison.Ordinal));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, $"{what}: {reply.Text}");
        reply.ContentType.ShouldBe("application/problem+json", what);
        InTheCallersWords(reply.Text, what);
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
    }

    [Fact]
    public async Task json_nested_too_deep_is_said_so()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements", $$"""{{{Statement}},"extra":{{new string('[', 200)}}{{new string(']', 200)}}}""");

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Field("detail")!.ShouldContain("nested deeper than 64 levels");
    }

    [Fact]
    public async Task a_value_of_the_wrong_type_names_the_field_it_is_in()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements",
            """{"source":{"name":"Dmitry Peskov"},"stance":"confirms","statedAt":"20 Feb"}""");

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["statedAt"]);
    }

    [Fact]
    public async Task an_import_line_that_does_not_fit_its_event_names_no_dotnet_type()
    {
        var ndjson = string.Join('\n',
            """{"streamId":"00000000-0000-0000-0000-000000000001","version":1,"type":"claim_registered","recordedAt":"2024-02-20T00:00:00Z","data":{"claimId":"not-a-guid"}}""",
            """{"streamId":"00000000-0000-0000-0000-000000000002","version":1,"type":"claim_registered","recordedAt":"2024-02-20T00:00:00Z","data":{"claimId":"00000000-0000-0000-0000-000000000002","parties":"Russia"}}""",
            """{"streamId":"00000000-0000-0000-0000-000000000003","version":1,"type":"claim_regis""",
            new string('[', 100) + new string(']', 100));

        var reply = await Api.Send(HttpMethod.Post, "/api/admin/import", ndjson, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["line 1", "line 2", "line 3", "line 4"]);
        InTheCallersWords(reply.Text, "import");
    }

    [Fact]
    public async Task a_malformed_or_oversized_body_is_logged_as_a_refusal_with_no_error_and_no_stack_trace()
    {
        var id = await Api.RegisteredClaim();
        var from = Fixture.Logs.Lines.Count;

        var malformed = await Api.Post($"/api/claims/{id}/statements", """{"source":{"name":"Dmitry Pes""");
        // read outside the JSON check (a form, chunked, past the 64 KiB limit): the body reader itself refuses it
        using var form = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("key=" + new string('k', 100_000)))),
        };
        form.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        form.Headers.TransferEncodingChunked = true;
        form.Headers.TryAddWithoutValidation("Origin", "http://localhost");
        using var oversized = await Api.Http.SendAsync(form);

        malformed.Status.ShouldBe(HttpStatusCode.BadRequest);
        oversized.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var logged = Fixture.Logs.Lines.Skip(from).ToList();
        logged.ShouldNotContain(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error,
            string.Join('\n', logged.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(l => $"{l.Level} {l.Category}: {l.Message}")));
        logged.ShouldNotContain(l => l.Exception != null);
        logged.Count(l => l.Category == "ClaimsTracker.Requests" && l.Message.Contains("refused", StringComparison.Ordinal)).ShouldBe(2);
    }

    private static void InTheCallersWords(string problem, string what)
    {
        problem.ShouldNotContain("System.", Case.Sensitive, what);
        problem.ShouldNotContain("Exception", Case.Sensitive, what);
        problem.ShouldNotContain("ClaimsTracker.", Case.Sensitive, what);
        problem.ShouldNotContain("BytePositionInLine", Case.Sensitive, what);
        problem.ShouldNotContain("Path: $", Case.Sensitive, what);
    }
}
