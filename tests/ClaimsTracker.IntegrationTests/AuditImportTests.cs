using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ClaimsTracker.Demo;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

public sealed class AuditImportTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly string[] Tables =
        ["mt_doc_claimsummary", "mt_doc_claimtimeline", "mt_doc_sourceprofile", "mt_doc_claimfact"];

    [Fact]
    public async Task an_exported_log_imported_into_an_empty_store_gives_identical_projections_leaves_and_metadata()
    {
        await ActivatorUtilities.CreateInstance<DemoLoader>(Fixture.Host.Services).StartAsync(CancellationToken.None);
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-22T00:00:00Z");
        await Api.Post($"/api/claims/{id}/corrections", new { reason = "Date", correctsVersion = 2, statedAt = "2024-02-23T00:00:00Z" },
            idempotencyKey: "import-correction");
        await ProjectionsCaughtUp();
        var export = await Export();
        var before = await Documents();
        var historyBefore = (await Api.Get($"/api/claims/{id}/history")).Text;

        await Fixture.ResetStore();
        var imported = await Import(export);

        imported.Status.ShouldBe(HttpStatusCode.OK, imported.Text);
        imported.Field("claims").ShouldBe((ArticleClaims.All.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ProjectionsCaughtUp();
        (await Documents()).ShouldBe(before);
        (await Api.Get($"/api/claims/{id}/history")).Text.ShouldBe(historyBefore);
        (await Export()).ShouldBe(export);
        var verify = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        verify.Field("ok").ShouldBe("true", verify.Text);
    }

    [Fact]
    public async Task a_store_imported_from_its_own_export_of_interleaved_claims_verifies_and_reads_the_same()
    {
        var (a, b, c) = (await Api.RegisteredClaim(), await Api.RegisteredClaim(), await Api.RegisteredClaim());
        string[] order = [a, b, a, c, b, a, a, b, c, a];
        foreach (var (claim, i) in order.Select((claim, i) => (claim, i)))
        {
            var (party, stance) = i % 3 == 0 ? ("Russia", "confirms") : i % 3 == 1 ? ("North Korea", "denies") : (null, "asserts");
            await Api.StatementFrom(claim, $"Source {i}", party, stance, statedAt: $"2024-02-{20 + i}T09:00:00Z");
        }

        (await Api.Post($"/api/claims/{a}/corrections", new { reason = "Wrong day", correctsVersion = 2, statedAt = "2024-02-19T00:00:00Z" }))
            .Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Post($"/api/claims/{b}/verdicts", new
        {
            verdict = "misleading", rationale = "Out of context", rating = new { name = "Missing context", value = 2, best = 5, worst = 1 },
            reviewedBy = new { name = "Example Check", url = "https://check.example.org" }, citations = new[] { "https://check.example.org/b" },
        })).Status.ShouldBe(HttpStatusCode.OK);
        await Api.StatementFrom(a, "Late source", "North Korea", "confirms", statedAt: "2024-03-05T00:00:00Z");
        (await Api.Post($"/api/claims/{b}/verdicts/withdrawal", new { reason = "Overreached" })).Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Post($"/api/claims/{c}/retraction", new { reason = "Withdrawn" })).Status.ShouldBe(HttpStatusCode.OK);
        await ProjectionsCaughtUp();
        var export = await Export();
        var readsBefore = await Reads(a, b, c);

        await Fixture.ResetStore();
        var imported = await Import(export);

        imported.Status.ShouldBe(HttpStatusCode.OK, imported.Text);
        imported.Field("events").ShouldBe("18");
        await ProjectionsCaughtUp();
        var verify = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        verify.Field("ok").ShouldBe("true", verify.Text);
        foreach (var (claim, version) in new[] { (a, "8"), (b, "6"), (c, "4") })
        {
            (await Api.Get($"/api/claims/{claim}")).Field("version").ShouldBe(version, $"claim {claim}");
        }

        (await Reads(a, b, c)).ShouldBe(readsBefore);
        LinesThatDiffer(await Export(), export).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_store_whose_commit_order_differs_from_its_sequence_imports_with_the_same_log_root()
    {
        var (a, b) = (await Api.RegisteredClaim(), await Api.RegisteredClaim());
        await using (var other = new NpgsqlConnection(Fixture.ConnectionString))
        {
            // a's write takes its sequence number, then waits on a's summary row while b's write commits
            await other.OpenAsync();
            await using var holding = await other.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand($"select 1 from claims.mt_doc_claimsummary where id = '{a}' for update", other, holding))
            {
                await hold.ExecuteNonQueryAsync();
            }

            var first = Api.Post($"/api/claims/{a}/statements", Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T09:00:00Z"));
            await WaitUntilAWriteWaitsOnALock();
            await Api.StatementFrom(b, "KCNA", "North Korea", "denies");
            await holding.CommitAsync();
            (await first).Status.ShouldBe(HttpStatusCode.OK);
        }

        await Api.StatementFrom(a, "Reuters", null, "asserts");
        await ProjectionsCaughtUp();
        var export = await Export();
        var root = await CheckpointRoot();

        await Fixture.ResetStore();
        var imported = await Import(export);

        imported.Status.ShouldBe(HttpStatusCode.OK, imported.Text);
        await ProjectionsCaughtUp();
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
        LinesThatDiffer(await Export(), export).ShouldBeEmpty();
        (await CheckpointRoot()).ShouldBe(root);
    }

    [Fact]
    public async Task bad_lines_are_reported_line_by_line_and_nothing_is_imported()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        var lines = (await Export()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        await Fixture.ResetStore();
        lines.Insert(1, "{not json");
        lines.Add(lines[2].Replace("\"version\":2", "\"version\":4", StringComparison.Ordinal));
        lines.Add(lines[2].Replace("\"type\":\"statement_recorded\"", "\"type\":\"statement_whispered\"", StringComparison.Ordinal));

        var reply = await Import(string.Join('\n', lines));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        var errors = reply.Json["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["line 2", "line 4", "line 5"]);
        errors["line 2"]![0]!.ToString().ShouldStartWith("is not JSON");
        errors["line 4"]![0]!.ToString().ShouldContain("version 4");
        errors["line 5"]![0]!.ToString().ShouldContain("statement_whispered");
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
        (await Export()).ShouldBeEmpty();
    }

    [Fact]
    public async Task an_import_while_another_holds_the_store_is_refused_with_409_and_writes_nothing()
    {
        var export = await ExportOfClaimWithStatements(3);
        await Fixture.ResetStore();
        await using var other = new NpgsqlConnection(Fixture.ConnectionString);
        await other.OpenAsync();
        var holding = await other.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("lock table claims.mt_events in exclusive mode", other, holding))
        {
            await take.ExecuteNonQueryAsync();
        }

        var importing = Import(export);
        var answered = await Task.WhenAny(importing, Task.Delay(TimeSpan.FromSeconds(15))) == importing;
        await holding.RollbackAsync();

        var reply = await importing;
        answered.ShouldBeTrue($"the import waited for the store's lock instead of answering 409, then answered {(int)reply.Status}");
        reply.Status.ShouldBe(HttpStatusCode.Conflict, reply.Text);
        reply.Field("title").ShouldNotBeNullOrWhiteSpace();
        (await Export()).ShouldBeEmpty();
    }

    [Fact]
    public async Task of_two_concurrent_imports_into_an_empty_store_exactly_one_goes_in()
    {
        var first = await ExportOfClaimWithStatements(1_000);
        await Fixture.ResetStore();
        var second = await ExportOfClaimWithStatements(1_000);
        await Fixture.ResetStore();

        var replies = await Task.WhenAll(Import(first), Import(second));

        replies.Select(r => (int)r.Status).Order().ToArray().ShouldBe([200, 409], string.Join("\n", replies.Select(r => r.Text)));
        var winner = replies[0].Status == HttpStatusCode.OK ? first : second;
        await Fixture.LogCaughtUp();
        (await Export()).ShouldBe(winner);
    }

    [Fact]
    public async Task an_imported_quote_longer_than_the_api_allows_refuses_the_file_naming_line_and_field()
    {
        var lines = Lines(await ExportOfClaimWithStatements(2));
        await Fixture.ResetStore();
        lines[1] = WithData(lines[1], "quote", new string('q', 20_000_000));
        lines[2] = WithData(lines[2], "quote", new string('q', 4_001));

        var reply = await Import(string.Join('\n', lines));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text[..Math.Min(reply.Text.Length, 2000)]);
        var errors = reply.Json["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["line 2", "line 3"]);
        errors["line 2"]![0]!.ToString().ShouldBe("data.quote must be at most 4000 characters (got 20000000)");
        errors["line 3"]![0]!.ToString().ShouldBe("data.quote must be at most 4000 characters (got 4001)");
        (await Export()).ShouldBeEmpty();
    }

    [Fact]
    public async Task an_imported_stance_word_the_api_does_not_know_refuses_the_file_naming_line_and_field()
    {
        var lines = Lines(await ExportOfClaimWithStatements(1));
        await Fixture.ResetStore();
        lines[1] = WithData(lines[1], "stance", "whispers");

        var reply = await Import(string.Join('\n', lines));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]!["line 2"]![0]!.ToString().ShouldBe("data.stance must be one of: confirms, denies, declines_to_comment, asserts, not_confirmed");
        (await Export()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0, "firstReport.url", "javascript:alert(1)", "data.firstReport.url must be an absolute http or https URL")]
    [InlineData(0, "statement", " ", "data.statement is required and must not be blank")]
    [InlineData(1, "statedAt", "2999-01-01T00:00:00Z", "data.statedAt must not be in the future")]
    [InlineData(1, "source.name", "", "data.source.name is required and must not be blank")]
    public async Task an_imported_event_is_held_to_the_field_checks_of_the_api_write_that_records_it(
        int line, string field, string value, string expected)
    {
        var lines = Lines(await ExportOfClaimWithStatements(1));
        await Fixture.ResetStore();
        lines[line] = WithData(lines[line], field, value);

        var reply = await Import(string.Join('\n', lines));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]![$"line {line + 1}"]!.AsArray().Select(m => m!.ToString()).ShouldContain(expected, reply.Text);
        (await Export()).ShouldBeEmpty();
    }

    [Fact]
    public async Task import_needs_an_empty_store_and_an_admin_key()
    {
        await Api.RegisteredClaim();
        var export = await Export();

        (await Import(export)).Status.ShouldBe(HttpStatusCode.Conflict);
        (await Api.Send(HttpMethod.Post, "/api/admin/import", export, AppFixture.EditorKey)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await Api.Get("/api/claims")).Field("total").ShouldBe("1");
    }

    private static List<string> LinesThatDiffer(string actual, string expected)
    {
        var (left, right) = (actual.Split('\n'), expected.Split('\n'));
        return Enumerable.Range(0, Math.Max(left.Length, right.Length))
            .Where(i => left.ElementAtOrDefault(i) != right.ElementAtOrDefault(i))
            .Select(i => $"line {i + 1}: {left.ElementAtOrDefault(i)}")
            .ToList();
    }

    private async Task<string> CheckpointRoot() => (await Api.Http.GetStringAsync("/log/checkpoint")).Split('\n')[2];

    private async Task WaitUntilAWriteWaitsOnALock()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand("select count(*) from pg_stat_activity where wait_event_type = 'Lock'", connection);
        for (var tries = 0; (long)(await waiting.ExecuteScalarAsync())! == 0; tries++)
        {
            tries.ShouldBeLessThan(200, "the write never reached the held row");
            await Task.Delay(10);
        }
    }

    private async Task<string> ExportOfClaimWithStatements(int count)
    {
        var id = await Api.RegisteredClaim();
        var statements = Enumerable.Range(0, count)
            .Select(i => Scenarios.Statement($"Source {i}", i % 2 == 0 ? "Russia" : null, "confirms", "2024-02-20T09:00:00Z"))
            .ToArray();
        foreach (var chunk in statements.Chunk(1_000))
        {
            var reply = await Api.Post($"/api/claims/{id}/statements/batch", new { statements = chunk });
            reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        }

        await Fixture.LogCaughtUp();
        return await Export();
    }

    private static List<string> Lines(string export) => export.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>The export line with one field of its event data (a dotted path) set to a string.</summary>
    private static string WithData(string line, string path, string value)
    {
        var node = JsonNode.Parse(line)!;
        var target = node["data"]!;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            target = target[part]!;
        }

        target[parts[^1]] = value;
        return node.ToJsonString();
    }

    /// <summary>What a reader sees of the claims: each one, its timeline, and the list.</summary>
    private async Task<List<string>> Reads(params string[] claims)
    {
        var reads = new List<string> { (await Api.Get("/api/claims?pageSize=100")).Text };
        foreach (var claim in claims)
        {
            reads.Add((await Api.Get($"/api/claims/{claim}")).Text);
            reads.Add((await Api.Get($"/api/claims/{claim}/timeline")).Text);
        }

        return reads;
    }

    private async Task<string> Export() => await Api.Http.GetStringAsync("/api/audit/events.ndjson");

    private async Task<Reply> Import(string ndjson) =>
        await Api.Send(HttpMethod.Post, "/api/admin/import", ndjson, AppFixture.AdminKey);

    private async Task<SortedDictionary<string, string>> Documents()
    {
        var documents = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"select id::text, data::text from claims.{table}", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                documents[$"{table}/{reader.GetString(0)}"] = reader.GetString(1);
            }
        }

        documents.Keys.Select(k => k.Split('/')[0]).Distinct().Count().ShouldBe(Tables.Length, string.Join(Environment.NewLine, documents.Keys));
        return documents;
    }
}
