using System.Net;
using System.Text;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Http;

namespace ClaimsTracker.IntegrationTests;

public sealed class HealthAndHeadersTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task live_and_ready_answer_healthy_while_the_database_and_the_daemon_run()
    {
        var live = await Api.Get("/health/live");
        var ready = await Api.Get("/health/ready");
        // the reset before each test restarts the daemon's agents; readiness follows within moments
        for (var attempt = 0; attempt < 50 && ready.Status != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(200);
            ready = await Api.Get("/health/ready");
        }

        live.Status.ShouldBe(HttpStatusCode.OK);
        ready.Status.ShouldBe(HttpStatusCode.OK, ready.Text);
        ready.Field("status").ShouldBe("Healthy");
        ready.Field("checks.postgresql.status").ShouldBe("Healthy");
        ready.Field("checks.projection-daemon.status").ShouldBe("Healthy");
        ready.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public void every_read_has_the_database_deadline_but_the_streams()
    {
        var reads = Fixture.Host.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Where(e => e.Metadata.GetMetadata<HttpChain>() is not null)
            .ToList();
        var unbounded = reads.Where(e => e.Metadata.GetMetadata<ReadDeadlineMetadata>() is null)
            .Select(e => e.RoutePattern.RawText).Order().ToList();
        var bounded = reads.Where(e => e.Metadata.GetMetadata<ReadDeadlineMetadata>() is not null).ToList();

        unbounded.ShouldBe([
            "/api/admin/verify", "/api/audit/events.csv", "/api/audit/events.ndjson", "/api/claims/{claimId}/events.csv",
            "/api/claims/{claimId}/events.ndjson", "/events/stream",
        ]);
        bounded.Count.ShouldBeGreaterThan(15);
    }

    [Theory]
    [InlineData("/api/claims")]
    [InlineData("/api/claims/not-a-guid")]
    [InlineData("/")]
    [InlineData("/health/ready")]
    [InlineData("/no-such-page")]
    [InlineData("/signin")]
    public async Task every_response_carries_the_security_headers(string url)
    {
        var reply = await Api.Get(url);

        reply.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        reply.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        // same-origin: a form posted to this site carries its real Origin, a link to another site carries nothing
        reply.Headers.GetValues("Referrer-Policy").ShouldBe(["same-origin"]);
        var policy = reply.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldNotContain("unsafe-inline");
        policy.ShouldNotContain("*");
    }

    [Fact]
    public async Task the_api_policy_allows_the_services_own_scripts_and_styles_only()
    {
        var reply = await Api.Get("/api/claims");

        var policy = reply.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("script-src 'self'");
        policy.ShouldContain("style-src 'self'");
        policy.ShouldContain("object-src 'none'");
    }

    [Fact]
    public async Task a_body_over_the_limit_is_refused_with_413_problem_details_and_nothing_is_written()
    {
        var huge = $"{{\"statement\":\"{new string('a', 100_000)}\"}}";

        var announced = await Api.Post("/api/claims", huge);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/claims")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TryAddWithoutValidation("Authorization", $"Bearer {AppFixture.EditorKey}");
        using var unannounced = await Api.Http.SendAsync(chunked);

        announced.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        announced.ContentType.ShouldBe("application/problem+json");
        ((int)unannounced.StatusCode).ShouldBeOneOf(400, 413);
        unannounced.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await Api.Get("/api/claims")).Field("total").ShouldBe("0");
    }
}
