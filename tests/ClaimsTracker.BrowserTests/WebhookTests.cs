using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace ClaimsTracker.BrowserTests;

/// <summary>Webhooks against the real service process and a subscriber on loopback that fails on purpose.</summary>
public sealed class WebhookTests(ServiceFixture service, ITestOutputHelper output) : BrowserContext(service, output)
{
    [Fact]
    public async Task every_status_change_reaches_a_failing_subscriber_signed_once_it_recovers()
    {
        await using var receiver = await WebhookReceiver.Start(refusals: 3);
        var topic = $"hooks-{Guid.NewGuid():N}"[..20];
        var secret = await RegisterWebhook(receiver.Url, topic: topic);
        var id = await RegisteredClaim($"Webhook claim {topic}", topics: [topic]);
        var elsewhere = await RegisteredClaim($"Claim of another topic {topic}", topics: ["other"]);

        await Statement(id, "Dmitry Peskov", "Russia", "confirms", "2024-02-21T09:00:00Z");
        await Statement(elsewhere, "Dmitry Peskov", "Russia", "denies", "2024-02-21T09:00:00Z");
        await Statement(id, "Kim Yo Jong", "North Korea", "confirms", "2024-02-22T09:00:00Z");
        await Statement(id, "Reuters", "", "asserts", "2024-02-23T09:00:00Z");

        await receiver.Until(r => r.Accepted.Select(a => a.Delivery).Distinct().Count() >= 2, TimeSpan.FromSeconds(60));
        // deliveries travel in parallel and retries reorder them; the version in each says which came first
        var changes = receiver.Accepted.DistinctBy(a => a.Delivery).OrderBy(c => c.Json.GetProperty("version").GetInt64()).ToList();
        changes.Count.ShouldBe(2, "a third-party assertion changes nothing, and the other topic's claim is not this subscriber's");
        changes.ShouldAllBe(c => c.SignedWith(secret));
        changes.Select(c => (From(c), To(c))).ShouldBe([("unconfirmed", "partially_confirmed"), ("partially_confirmed", "confirmed")]);
        changes.ShouldAllBe(c => c.Json.GetProperty("claimId").GetString() == id);
        changes.ShouldAllBe(c => c.Json.GetProperty("type").GetString() == "claim.status_changed");
        receiver.Received.Count(r => r.Answered == 503).ShouldBe(3);
        receiver.Received.Where(r => r.Answered == 503).Select(r => r.Delivery)
            .ShouldAllBe(refused => changes.Any(c => c.Delivery == refused), "each refused delivery was retried until it was taken");
        receiver.Received.ShouldNotContain(r => r.Body.Contains(elsewhere, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_delivery_waiting_for_a_retry_survives_a_restart_of_the_service()
    {
        await using var receiver = await WebhookReceiver.Start(refusals: int.MaxValue);
        var topic = $"restart-{Guid.NewGuid():N}"[..20];
        var secret = await RegisterWebhook(receiver.Url, topic: topic);
        var id = await RegisteredClaim($"Restart claim {topic}", topics: [topic]);
        await Statement(id, "Dmitry Peskov", "Russia", "denies", "2024-02-21T09:00:00Z");
        await receiver.Until(r => r.Received.Count >= 2, TimeSpan.FromSeconds(30));

        await Service.Restart();
        receiver.RefuseFromNowOn(false);

        await receiver.Until(r => r.Accepted.Count >= 1, TimeSpan.FromSeconds(90));
        var delivered = receiver.Accepted[0];
        delivered.Delivery.ShouldBe(receiver.Received.First().Delivery);
        delivered.SignedWith(secret).ShouldBeTrue();
        (From(delivered), To(delivered)).ShouldBe(("unconfirmed", "denied"));
        Output.WriteLine($"{receiver.Received.Count} attempts, the last after the restart");
    }

    [Fact]
    public async Task registering_a_webhook_needs_an_admin_key_and_a_web_url()
    {
        using var reply = await Service.Api.PostAsJsonAsync("/api/admin/webhooks", new { url = "https://example.org/hook" });
        reply.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var bad = await AsAdmin(new { url = "javascript:alert(1)" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("url");
    }

    private static string? From(ReceivedWebhook r) => r.Json.GetProperty("from").GetString();

    private static string? To(ReceivedWebhook r) => r.Json.GetProperty("to").GetString();

    private async Task<string> RegisterWebhook(Uri url, string? topic = null)
    {
        using var reply = await AsAdmin(new { url, topic });
        var text = await reply.Content.ReadAsStringAsync();
        reply.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("secret").GetString()!;
    }

    private async Task<HttpResponseMessage> AsAdmin(object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/webhooks") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceFixture.AdminKey);
        return await Service.Api.SendAsync(request);
    }
}
