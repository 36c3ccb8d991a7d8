using System.Net;

namespace ClaimsTracker.IntegrationTests;

/// <summary>POST /api/claims/{id}/statements/batch: several statements in one transaction, all or none.</summary>
public sealed class StatementBatchTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static object Batch(long? expectedVersion = null, params object[] statements) => new { statements, expectedVersion };

    [Fact]
    public async Task a_batch_appends_its_statements_in_order_and_replies_with_the_last_version_and_the_status()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements/batch", Batch(null,
            Scenarios.Statement("Dmitry Peskov", "Russia", "confirms", "2024-02-20T09:00:00Z"),
            Scenarios.Statement("Reuters", null, "asserts", "2024-02-20T10:00:00Z"),
            Scenarios.Statement("KCNA", "north korea", "confirms", "2024-02-20T11:00:00Z")));

        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        reply.Field("version").ShouldBe("4");
        reply.Field("status").ShouldBe("confirmed");
        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("version").ShouldBe("4");
        claim.Field("counts.statements").ShouldBe("3");
        claim.Field("counts.thirdPartyAssertions").ShouldBe("1");
        claim.Field("parties.1.source").ShouldBe("KCNA");
        var history = await Api.Get($"/api/claims/{id}/history");
        history.Status.ShouldBe(HttpStatusCode.OK, history.Text);
        history.Text.IndexOf("Dmitry Peskov", StringComparison.Ordinal).ShouldBeLessThan(history.Text.IndexOf("KCNA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task one_bad_statement_refuses_the_whole_batch_naming_it_and_nothing_is_recorded()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements/batch", Batch(null,
            Scenarios.Statement("Dmitry Peskov", "Russia", "confirms", "2024-02-20T09:00:00Z"),
            Scenarios.Statement("KCNA", "North Korea", "shrugs", "2024-02-20T11:00:00Z"),
            new { source = new { role = "spokesperson" }, stance = "denies", statedAt = "2024-02-20T12:00:00Z", expectedVersion = 3 }));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]!["statements[1].stance"].ShouldNotBeNull();
        reply.Json["errors"]!["statements[2].source.name"].ShouldNotBeNull();
        reply.Json["errors"]!["statements[2].expectedVersion"].ShouldNotBeNull();
        reply.Json["errors"]!["statements[0].stance"].ShouldBeNull();
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("1");
    }

    [Fact]
    public async Task an_empty_or_oversized_batch_is_refused()
    {
        var id = await Api.RegisteredClaim();

        var empty = await Api.Post($"/api/claims/{id}/statements/batch", Batch());
        empty.Status.ShouldBe(HttpStatusCode.BadRequest, empty.Text);
        empty.Json["errors"]!["statements"].ShouldNotBeNull();

        var statement = Scenarios.Statement("Dmitry Peskov", "Russia", "confirms", "2024-02-20T09:00:00Z");
        var tooMany = await Api.Post($"/api/claims/{id}/statements/batch", Batch(null, Enumerable.Repeat(statement, 1_001).ToArray()));
        tooMany.Status.ShouldBe(HttpStatusCode.BadRequest, tooMany.Text);
        tooMany.Json["errors"]!["statements"]![0]!.GetValue<string>().ShouldContain("at most 1000");
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("1");
    }

    [Fact]
    public async Task the_largest_batch_fits_the_body_limit_and_lands_whole()
    {
        var id = await Api.RegisteredClaim();
        var statements = Enumerable.Range(0, 1_000)
            .Select(i => Scenarios.Statement($"Source {i}", i % 2 == 0 ? "Russia" : "North Korea", i % 3 == 0 ? "denies" : "confirms",
                "2024-02-20T09:00:00Z", quote: new string('q', 200)))
            .ToArray();

        var reply = await Api.Post($"/api/claims/{id}/statements/batch", Batch(1, statements));

        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        reply.Field("version").ShouldBe("1001");
        (await Api.Get($"/api/claims/{id}")).Field("counts.statements").ShouldBe("1000");
    }

    [Fact]
    public async Task a_batch_body_over_its_4_mib_limit_gets_413_and_records_nothing()
    {
        var id = await Api.RegisteredClaim();
        var statements = Enumerable.Range(0, 1_000)
            .Select(i => Scenarios.Statement($"Source {i} {new string('n', 190)}", "Russia", "confirms", "2024-02-20T09:00:00Z", quote: new string('q', 4_000)))
            .ToArray();

        var reply = await Api.Post($"/api/claims/{id}/statements/batch", Batch(null, statements));

        reply.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge, reply.Text);
        reply.ContentType.ShouldBe("application/problem+json");
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("1");
    }

    [Fact]
    public async Task a_stale_expected_version_refuses_the_batch_and_a_retry_under_the_same_key_gets_the_first_answer()
    {
        var id = await Api.RegisteredClaim();
        var batch = Batch(1, Scenarios.Statement("Dmitry Peskov", "Russia", "confirms", "2024-02-20T09:00:00Z"),
            Scenarios.Statement("KCNA", "North Korea", "denies", "2024-02-20T10:00:00Z"));

        var first = await Api.Post($"/api/claims/{id}/statements/batch", batch, idempotencyKey: "feed-17");
        var retry = await Api.Post($"/api/claims/{id}/statements/batch", batch, idempotencyKey: "feed-17");
        var stale = await Api.Post($"/api/claims/{id}/statements/batch", batch);

        first.Status.ShouldBe(HttpStatusCode.OK, first.Text);
        first.Field("version").ShouldBe("3");
        first.Field("status").ShouldBe("disputed");
        retry.Status.ShouldBe(HttpStatusCode.OK, retry.Text);
        retry.Text.ShouldBe(first.Text);
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        stale.Status.ShouldBe(HttpStatusCode.Conflict, stale.Text);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("3");
    }

    [Fact]
    public async Task a_retracted_claim_takes_no_batch()
    {
        var id = await Api.RegisteredClaim();
        (await Api.Post($"/api/claims/{id}/retraction", new { reason = "The report was withdrawn by its outlet." }, AppFixture.EditorKey))
            .Status.ShouldBe(HttpStatusCode.OK);

        var reply = await Api.Post($"/api/claims/{id}/statements/batch",
            Batch(null, Scenarios.Statement("Dmitry Peskov", "Russia", "confirms", "2024-02-20T09:00:00Z")));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        (await Api.Get($"/api/claims/{id}")).Field("counts.statements").ShouldBe("0");
    }
}
