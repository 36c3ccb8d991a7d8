using System.Net;

namespace ClaimsTracker.IntegrationTests;

public sealed class AccessTests(AppFixture fixture) : IntegrationContext(fixture)
{
    public static TheoryData<string, string> WriteRoutes => new()
    {
        { "/api/claims", "{}" },
        { "/api/claims/{id}/statements", "{}" },
        { "/api/claims/{id}/reports", "{}" },
        { "/api/claims/{id}/evidence", "{}" },
        { "/api/claims/{id}/verdicts", "{}" },
        { "/api/claims/{id}/corrections", "{}" },
        { "/api/claims/{id}/retraction", "{}" },
        { "/api/claims/{id}/verdicts/withdrawal", "{}" },
    };

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task a_write_without_a_key_is_401_and_with_a_readers_key_403(string route, string body)
    {
        var id = await Api.RegisteredClaim();
        var url = route.Replace("{id}", id, StringComparison.Ordinal);

        var anonymous = await Api.Post(url, body, key: null);
        var reader = await Api.Post(url, body, key: AppFixture.ReaderKey);
        var revoked = await Api.Post(url, body, key: AppFixture.RevokedKey);
        var wrong = await Api.Post(url, body, key: "not-a-key");

        anonymous.Status.ShouldBe(HttpStatusCode.Unauthorized);
        anonymous.ContentType.ShouldBe("application/problem+json");
        anonymous.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        reader.Status.ShouldBe(HttpStatusCode.Forbidden);
        reader.ContentType.ShouldBe("application/problem+json");
        revoked.Status.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.Get($"/api/claims/{id}")).Field("version").ShouldBe("1");
    }

    [Fact]
    public async Task a_malformed_authorization_header_is_401()
    {
        var reply = await Api.Send(HttpMethod.Post, "/api/claims", "{}", key: null,
            headers: new Dictionary<string, string> { ["Authorization"] = "Basic dXNlcjpwYXNz" });

        reply.Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task reads_are_open_without_a_key_but_a_bad_key_is_refused()
    {
        var id = await Api.RegisteredClaim();

        (await Api.Get($"/api/claims/{id}")).Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Get($"/api/claims/{id}", AppFixture.ReaderKey)).Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Get($"/api/claims/{id}", "forged")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task admins_may_write_and_are_recorded_as_the_actor()
    {
        var reply = await Api.Post("/api/claims", Scenarios.WeaponsClaim(), key: AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.Created);
        var history = await Api.Get($"/api/claims/{reply.Field("id")}/history");
        history.Field("items.0.actor").ShouldBe("test-admin");
    }
}
