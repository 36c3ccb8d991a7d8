using System.Net;
using Marten;

namespace ClaimsTracker.IntegrationTests;

public sealed class WritingClaimsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task registering_a_claim_answers_201_with_location_and_version_1()
    {
        var reply = await Api.Post("/api/claims", Scenarios.WeaponsClaim());

        reply.Status.ShouldBe(HttpStatusCode.Created);
        reply.Field("version").ShouldBe("1");
        var id = reply.Field("id")!;
        reply.Headers.Location!.ToString().ShouldBe($"/api/claims/{id}");

        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("statement").ShouldBe("North Korea has supplied rockets and missiles to Russia");
        claim.Field("status").ShouldBe("unconfirmed");
        claim.Field("parties.0.party").ShouldBe("Russia");
        claim.Field("parties.0.stance").ShouldBe("open");
        claim.Field("parties.1.party").ShouldBe("North Korea");
    }

    [Fact]
    public async Task statements_move_the_status_and_each_reply_carries_version_and_status()
    {
        var id = await Api.RegisteredClaim();

        var first = await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        first.Field("version").ShouldBe("2");
        first.Field("status").ShouldBe("partially_confirmed");

        var second = await Api.StatementFrom(id, "KCNA", "north korea", "denies");
        second.Field("version").ShouldBe("3");
        second.Field("status").ShouldBe("disputed");

        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("parties.0.stance").ShouldBe("confirms");
        claim.Field("parties.0.source").ShouldBe("Dmitry Peskov");
        claim.Field("parties.1.stance").ShouldBe("denies");
        claim.Field("version").ShouldBe("3");
    }

    [Fact]
    public async Task third_party_assertions_are_counted_and_never_move_the_status()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.StatementFrom(id, "South Korea's foreign ministry", "South Korea", "asserts");
        await Api.StatementFrom(id, "Reuters", null, "confirms");

        reply.Field("status").ShouldBe("unconfirmed");
        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("status").ShouldBe("unconfirmed");
        claim.Field("counts.thirdPartyAssertions").ShouldBe("2");
        claim.Field("counts.partyStatements").ShouldBe("0");
    }

    [Fact]
    public async Task every_event_route_appends_one_event_and_answers_version_and_status()
    {
        var id = await Api.RegisteredClaim();

        var report = await Api.Post($"/api/claims/{id}/reports", new
        {
            outlet = "Reuters", url = "https://example.org/r", headline = "Weapons", publishedAt = "2024-02-21T00:00:00Z",
        });
        var evidence = await Api.Post($"/api/claims/{id}/evidence", new
        {
            kind = "satellite imagery", url = "https://example.org/img", description = "Rail cars at Tumangang",
            bearing = "supports", observedAt = "2024-02-19T00:00:00Z",
        });
        var verdict = await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "misleading", rationale = "Context missing" });
        var correction = await Api.Post($"/api/claims/{id}/corrections", new { reason = "Typo", statement = "North Korea supplied missiles to Russia" });
        var retraction = await Api.Post($"/api/claims/{id}/retraction", new { reason = "Withdrawn by the desk" });

        report.Field("version").ShouldBe("2");
        report.Field("status").ShouldBe("unconfirmed");
        evidence.Field("version").ShouldBe("3");
        verdict.Field("version").ShouldBe("4");
        verdict.Field("status").ShouldBe("misleading");
        correction.Field("version").ShouldBe("5");
        retraction.Field("version").ShouldBe("6");
        retraction.Field("status").ShouldBe("retracted");

        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("statement").ShouldBe("North Korea supplied missiles to Russia");
        claim.Field("counts.reports").ShouldBe("1");
        claim.Field("counts.supportingEvidence").ShouldBe("1");
        claim.Field("counts.verdicts").ShouldBe("1");
        claim.Field("counts.corrections").ShouldBe("1");
        claim.Field("retractionReason").ShouldBe("Withdrawn by the desk");

        await using var session = Fixture.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(id));
        events.Select(e => e.EventTypeName).ShouldBe(
            ["claim_registered", "claim_reported", "evidence_attached", "verdict_given", "claim_corrected", "claim_retracted"]);
    }

    [Theory]
    [InlineData("confirmed", "confirmed")]
    [InlineData("false", "refuted")]
    [InlineData("misleading", "misleading")]
    [InlineData("unproven", "unconfirmed")]
    public async Task a_verdict_overrides_the_derived_status(string verdict, string status)
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "denies");

        var reply = await Api.Post($"/api/claims/{id}/verdicts", new { verdict, rationale = "Desk ruling" });

        reply.Field("status").ShouldBe(status);
        (await Api.Status(id)).ShouldBe(status);
    }

    [Fact]
    public async Task a_correction_of_a_statements_stance_changes_the_status()
    {
        var id = await Api.RegisteredClaim();
        var statement = await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");

        var reply = await Api.Post($"/api/claims/{id}/corrections", new
        {
            reason = "Misheard: he denied it", correctsVersion = long.Parse(statement.Field("version")!), stance = "denies",
        });

        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        reply.Field("status").ShouldBe("denied");
        (await Api.Status(id)).ShouldBe("denied");
    }


    [Fact]
    public async Task a_correction_that_withdraws_a_partys_latest_word_falls_back_on_its_word_before()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-19T09:00:00Z");
        var latest = await Api.StatementFrom(id, "KCNA", "North Korea", "confirms", statedAt: "2024-02-21T09:00:00Z");
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms", statedAt: "2024-02-20T09:00:00Z");
        (await Api.Status(id)).ShouldBe("confirmed");

        var reply = await Api.Post($"/api/claims/{id}/corrections", new
        {
            reason = "KCNA declined; it did not confirm", correctsVersion = long.Parse(latest.Field("version")!), stance = "declines_to_comment",
        });

        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        reply.Field("status").ShouldBe("disputed");
        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("status").ShouldBe("disputed");
        claim.Field("parties.1.stance").ShouldBe("denies");
        claim.Field("parties.1.becauseOf").ShouldBe("2");
    }
    [Fact]
    public async Task a_verdict_on_a_retracted_claim_is_refused_with_400_and_records_nothing()
    {
        var id = await Api.RegisteredClaim();
        await Api.Post($"/api/claims/{id}/retraction", new { reason = "Withdrawn" });

        var reply = await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "false", rationale = "Too late" });

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.ContentType.ShouldBe("application/problem+json");
        (await EventCount(id)).ShouldBe(2);
    }

    [Fact]
    public async Task an_invalid_registration_is_refused_field_by_field_and_records_nothing()
    {
        var reply = await Api.Post("/api/claims", new
        {
            statement = "  ",
            parties = Array.Empty<string>(),
            firstReport = new { outlet = "X", url = "javascript:alert(1)", publishedAt = "2024-02-20T00:00:00Z" },
        });

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.ContentType.ShouldBe("application/problem+json");
        var errors = reply.Json["errors"]!.AsObject().Select(e => e.Key).ToList();
        errors.ShouldBe(["statement", "parties", "firstReport.url"], ignoreOrder: true);
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
    }

    [Theory]
    [InlineData("{\"source\":{\"name\":\"Peskov\",\"party\":\"Russia\"},\"stance\":\"maybe\",\"statedAt\":\"2024-02-20T00:00:00Z\"}", "stance")]
    [InlineData("{\"stance\":\"confirms\",\"statedAt\":\"2024-02-20T00:00:00Z\"}", "source")]
    [InlineData("{\"source\":{\"name\":\"Peskov\"},\"stance\":\"confirms\"}", "statedAt")]
    [InlineData("{\"source\":{\"name\":\"Peskov\"},\"stance\":\"confirms\",\"statedAt\":\"2999-01-01T00:00:00Z\"}", "statedAt")]
    [InlineData("{\"source\":{\"name\":\"Peskov\"},\"stance\":\"confirms\",\"statedAt\":\"2024-02-20T00:00:00Z\",\"expectedVersion\":0}", "expectedVersion")]
    public async Task an_invalid_statement_names_the_bad_field_and_records_nothing(string body, string field)
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements", body);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]!.AsObject().Select(e => e.Key).ShouldContain(field);
        (await EventCount(id)).ShouldBe(1);
    }

    [Theory]
    [InlineData("{\"source\":{\"name\":\"Peskov\"},\"stance\":\"confirms\",\"statedAt\":\"20 Feb\"}")]
    [InlineData("{\"source\":")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    public async Task malformed_json_or_an_unparseable_date_is_a_400_problem(string body)
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements", body);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.ContentType.ShouldBe("application/problem+json");
        (await EventCount(id)).ShouldBe(1);
    }

    [Fact]
    public async Task writing_to_an_unknown_claim_is_404()
    {
        var reply = await Api.Post($"/api/claims/{Guid.NewGuid()}/statements",
            Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T00:00:00Z"));

        reply.Status.ShouldBe(HttpStatusCode.NotFound);
        reply.ContentType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task reading_an_unknown_claim_is_404_problem_details()
    {
        var reply = await Api.Get($"/api/claims/{Guid.NewGuid()}");

        reply.Status.ShouldBe(HttpStatusCode.NotFound);
        reply.Field("title").ShouldBe("Unknown claim");
    }

    [Fact]
    public async Task every_event_carries_actor_correlation_and_idempotency_key_in_its_metadata()
    {
        var id = await Api.RegisteredClaim();
        await Api.Send(HttpMethod.Post, $"/api/claims/{id}/statements",
            System.Text.Json.JsonSerializer.Serialize(Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T00:00:00Z")),
            AppFixture.AdminKey, "retry-key-1", new Dictionary<string, string> { ["X-Correlation-Id"] = "desk-42" });

        var history = await Api.Get($"/api/claims/{id}/history");

        history.Field("total").ShouldBe("2");
        history.Field("items.0.type").ShouldBe("claim_registered");
        history.Field("items.0.actor").ShouldBe("test-editor");
        history.Field("items.1.type").ShouldBe("statement_recorded");
        history.Field("items.1.actor").ShouldBe("test-admin");
        history.Field("items.1.correlationId").ShouldBe("desk-42");
        history.Field("items.1.idempotencyKey").ShouldBe("retry-key-1");
        history.Field("items.1.worldAt").ShouldStartWith("2024-02-20T00:00:00");
        history.Field("items.1.data.stance").ShouldBe("confirms");
        history.Field("items.1.data.recordedBy").ShouldBe("test-admin");
    }

    private async Task<int> EventCount(string claimId)
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(Guid.Parse(claimId))).Count;
    }
}
