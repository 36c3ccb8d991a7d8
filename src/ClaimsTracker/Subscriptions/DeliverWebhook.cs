using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClaimsTracker.Infrastructure;
using Marten;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ClaimsTracker.Subscriptions;

/// <summary>The message a subscriber receives. <see cref="ChangeId"/> is the id of the event that caused the change.</summary>
public sealed record StatusChanged(
    Guid ChangeId, Guid ClaimId, string Statement, string From, string To, long Version, string BecauseOf,
    DateTimeOffset RecordedAt, string[] Topics, string[] Parties)
{
    public string Type => "claim.status_changed";
}

public sealed record WebhookDelivery(Guid WebhookId, StatusChanged Change);

public sealed class WebhookRefusedException(string message) : Exception(message);

/// <summary>POSTs one change to one webhook, signed; at least once, so a subscriber recognises a repeat by <c>X-ClaimsTracker-Delivery</c>.</summary>
public static class WebhookDeliveryHandler
{
    private static readonly Counter<long> Deliveries = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.webhook.deliveries", "{delivery}",
        "Webhook delivery attempts, by outcome: delivered, refused (not a 2xx), failed (no answer), dropped (webhook deleted)");

    public const string Client = "webhooks";
    public const string SignatureHeader = "X-ClaimsTracker-Signature";
    public const string TimestampHeader = "X-ClaimsTracker-Timestamp";
    public const string DeliveryHeader = "X-ClaimsTracker-Delivery";

    /// <summary>Quick retries for a blip, then a backoff that spans an afternoon's outage, then the dead letters.</summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<HttpRequestException>().Or<WebhookRefusedException>().Or<TaskCanceledException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1))
            .Then.ScheduleRetry(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1),
                TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2))
            .Then.MoveToErrorQueue();

    public static async Task Handle(
        WebhookDelivery delivery, IQuerySession session, IHttpClientFactory clients, TimeProvider clock, ILogger<WebhookDelivery> logger,
        CancellationToken ct)
    {
        if (await session.LoadAsync<Webhook>(delivery.WebhookId, ct) is not { } webhook)
        {
            logger.LogInformation("Webhook {WebhookId} was deleted; change {ChangeId} is not sent", delivery.WebhookId, delivery.Change.ChangeId);
            Counted("dropped");
            return;
        }

        var body = JsonSerializer.Serialize(delivery.Change, Json.Options);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(webhook.Secret, timestamp, body));
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(DeliveryHeader, $"{delivery.Change.ChangeId}:{webhook.Id}");

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(Client).SendAsync(request, ct);
        }
        catch (Exception)
        {
            Counted("failed");
            throw;
        }

        using (response)
        {
            Counted(response.IsSuccessStatusCode ? "delivered" : "refused");
            if (!response.IsSuccessStatusCode)
            {
                throw new WebhookRefusedException($"{webhook.Url} answered {(int)response.StatusCode}");
            }
        }
    }

    private static void Counted(string outcome) => Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
