using System.Net;

namespace ClaimsTracker.IntegrationTests;

public sealed class WebhookRegistrationTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Theory]
    [InlineData("http://127.0.0.1:5432/")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    public async Task a_webhook_into_the_services_own_network_is_refused_and_nothing_is_registered(string url)
    {
        var reply = await Api.Post("/api/admin/webhooks", new { url }, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Field("errors.url.0")!.ShouldContain("loopback, private or link-local");
        (await Api.Get("/api/admin/webhooks", AppFixture.AdminKey)).Json.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task a_webhook_to_a_public_host_name_is_registered()
    {
        var reply = await Api.Post("/api/admin/webhooks", new { url = "https://hooks.example.org/claims" }, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.Created, reply.Text);
        (await Api.Get("/api/admin/webhooks", AppFixture.AdminKey)).Json.AsArray().Count.ShouldBe(1);
    }
}
