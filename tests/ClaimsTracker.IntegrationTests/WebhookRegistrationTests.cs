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

    [Theory]
    [InlineData("http://[::127.0.0.1]/")]
    [InlineData("http://[::ffff:0:127.0.0.1]/")]
    [InlineData("http://[64:ff9b::7f00:1]/")]
    [InlineData("http://[2002:7f00:1::]/")]
    [InlineData("http://198.18.0.1/")]
    [InlineData("http://192.0.2.2/hook")]
    [InlineData("http://198.51.100.7/hook")]
    [InlineData("http://203.0.113.9/hook")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0x7f.1./")]
    public async Task a_webhook_to_a_special_purpose_address_in_any_spelling_is_refused_with_a_problem_and_nothing_is_registered(string url)
    {
        var reply = await Api.Post("/api/admin/webhooks", new { url }, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.ContentType.ShouldBe("application/problem+json");
        reply.Field("errors.url.0")!.ShouldContain("special-purpose");
        (await Api.Get("/api/admin/webhooks", AppFixture.AdminKey)).Json.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://8.8.8.8/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    public async Task a_webhook_to_a_public_address_literal_is_registered(string url)
    {
        var reply = await Api.Post("/api/admin/webhooks", new { url }, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.Created, reply.Text);
        (await Api.Get("/api/admin/webhooks", AppFixture.AdminKey)).Json.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_webhook_to_a_public_host_name_is_registered()
    {
        var reply = await Api.Post("/api/admin/webhooks", new { url = "https://hooks.example.org/claims" }, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.Created, reply.Text);
        (await Api.Get("/api/admin/webhooks", AppFixture.AdminKey)).Json.AsArray().Count.ShouldBe(1);
    }
}
