using System.Net;
using Marten;

namespace ClaimsTracker.IntegrationTests;

public sealed class ConcurrencyAndIdempotencyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task statement_with_stale_version_is_rejected_with_409()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", expectedVersion: 1);

        var stale = await Api.Post($"/api/claims/{id}/statements",
            Scenarios.Statement("KCNA", "North Korea", "denies", "2024-02-20T10:00:00Z", expectedVersion: 1));

        stale.Status.ShouldBe(HttpStatusCode.Conflict);
        stale.ContentType.ShouldBe("application/problem+json");
        stale.Field("currentVersion").ShouldBe("2");
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("2");
    }

    [Fact]
    public async Task concurrent_writes_without_expected_version_all_land_with_distinct_versions()
    {
        var id = await Api.RegisteredClaim();

        var replies = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Api.Post($"/api/claims/{id}/statements",
                Scenarios.Statement($"Source {i}", i % 2 == 0 ? "Russia" : null, "confirms", "2024-02-20T00:00:00Z"))));

        replies.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        replies.Select(r => long.Parse(r.Field("version")!)).Order().ShouldBe(Enumerable.Range(2, 24).Select(v => (long)v));
        await using var session = Fixture.Store.QuerySession();
        (await session.Events.FetchStreamAsync(Guid.Parse(id))).Count.ShouldBe(25);
    }

    [Fact]
    public async Task concurrent_writes_with_the_same_expected_version_let_exactly_one_through()
    {
        var id = await Api.RegisteredClaim();

        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Api.Post($"/api/claims/{id}/statements",
                Scenarios.Statement($"Source {i}", "Russia", "confirms", "2024-02-20T00:00:00Z", expectedVersion: 1))));

        replies.Count(r => r.Status == HttpStatusCode.OK).ShouldBe(1);
        replies.Count(r => r.Status == HttpStatusCode.Conflict).ShouldBe(11);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("2");
    }

    [Fact]
    public async Task a_repeated_idempotency_key_returns_the_first_answer_and_appends_nothing()
    {
        var id = await Api.RegisteredClaim();
        var body = Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T00:00:00Z");

        var first = await Api.Post($"/api/claims/{id}/statements", body, idempotencyKey: "statement-1");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies");
        var again = await Api.Post($"/api/claims/{id}/statements", body, idempotencyKey: "statement-1");

        again.Status.ShouldBe(HttpStatusCode.OK);
        again.Text.ShouldBe(first.Text);
        again.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("3");
    }

    [Fact]
    public async Task concurrent_retries_of_one_registration_create_one_claim()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Api.Post("/api/claims", Scenarios.WeaponsClaim(), idempotencyKey: "register-weapons")));

        replies.ShouldAllBe(r => r.Status == HttpStatusCode.Created);
        replies.Select(r => r.Field("id")).Distinct().Count().ShouldBe(1);
        (await Api.Get("/api/claims")).Field("total").ShouldBe("1");
    }

    [Fact]
    public async Task concurrent_retries_of_one_statement_append_one_event()
    {
        var id = await Api.RegisteredClaim();
        var body = Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T00:00:00Z");

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Api.Post($"/api/claims/{id}/statements", body, idempotencyKey: "statement-x")));

        replies.ShouldAllBe(r => r.Status == HttpStatusCode.OK && r.Field("version") == "2");
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("2");
    }

    [Fact]
    public async Task the_same_idempotency_key_with_a_different_body_is_refused_with_422()
    {
        var id = await Api.RegisteredClaim();
        await Api.Post($"/api/claims/{id}/statements", Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T00:00:00Z"),
            idempotencyKey: "k-1");

        var reply = await Api.Post($"/api/claims/{id}/statements", Scenarios.Statement("Peskov", "Russia", "denies", "2024-02-20T00:00:00Z"),
            idempotencyKey: "k-1");

        reply.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("2");
    }

    [Fact]
    public async Task a_malformed_idempotency_key_is_refused_before_anything_is_written()
    {
        var reply = await Api.Post("/api/claims", Scenarios.WeaponsClaim(), idempotencyKey: new string('k', 300));

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.Json["errors"]!["Idempotency-Key"].ShouldNotBeNull();
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("no-dashes")]
    [InlineData("braces")]
    [InlineData("upper-path")]
    [InlineData("trailing-slash")]
    public async Task an_idempotency_key_holds_however_the_url_spells_the_claim_and_route(string spelling)
    {
        var id = await Api.RegisteredClaim();
        var body = Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T00:00:00Z");
        var first = await Api.Post($"/api/claims/{id}/statements", body, idempotencyKey: "spelled-" + spelling);

        var url = spelling switch
        {
            "upper" => $"/api/claims/{id.ToUpperInvariant()}/statements",
            "no-dashes" => $"/api/claims/{Guid.Parse(id):N}/statements",
            "braces" => $"/api/claims/{Guid.Parse(id):B}/statements",
            "upper-path" => $"/API/CLAIMS/{id}/STATEMENTS",
            _ => $"/api/claims/{id}/statements/",
        };
        var again = await Api.Post(url, body, idempotencyKey: "spelled-" + spelling);

        again.Status.ShouldBe(HttpStatusCode.OK, again.Text);
        again.Text.ShouldBe(first.Text);
        again.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("2");
    }

    [Fact]
    public async Task one_idempotency_key_on_two_claims_is_two_writes()
    {
        var one = await Api.RegisteredClaim();
        var two = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Another claim"));
        var body = Scenarios.Statement("Peskov", "Russia", "confirms", "2024-02-20T00:00:00Z");

        (await Api.Post($"/api/claims/{one}/statements", body, idempotencyKey: "per-claim")).Status.ShouldBe(HttpStatusCode.OK);
        var other = await Api.Post($"/api/claims/{two}/statements", body, idempotencyKey: "per-claim");

        other.Status.ShouldBe(HttpStatusCode.OK);
        other.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        (await Api.Get($"/api/claims/{two}")).Field("version").ShouldBe("2");
    }
}
