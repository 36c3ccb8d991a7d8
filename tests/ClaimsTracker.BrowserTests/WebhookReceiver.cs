using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClaimsTracker.BrowserTests;

/// <summary>One request as the subscriber received it, and what it answered.</summary>
public sealed record ReceivedWebhook(string Delivery, string Signature, string Timestamp, string Body, int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public bool SignedWith(string secret) =>
        Signature == "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{Timestamp}.{Body}")));
}

/// <summary>A subscriber on loopback (Kestrel, random port) that refuses with 503 until told otherwise.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _refusalsLeft;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public Uri Url { get; private set; } = null!;

    private WebhookReceiver(int refusals)
    {
        _refusalsLeft = refusals;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = Interlocked.Decrement(ref _refusalsLeft) >= 0 ? 503 : 200;
            Received.Enqueue(new ReceivedWebhook(http.Request.Headers["X-ClaimsTracker-Delivery"].ToString(),
                http.Request.Headers["X-ClaimsTracker-Signature"].ToString(), http.Request.Headers["X-ClaimsTracker-Timestamp"].ToString(),
                body, status));
            return Results.StatusCode(status);
        });
    }

    /// <summary>Starts a receiver that refuses the first <paramref name="refusals"/> requests.</summary>
    public static async Task<WebhookReceiver> Start(int refusals)
    {
        var receiver = new WebhookReceiver(refusals);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    public void RefuseFromNowOn(bool refuse) => Volatile.Write(ref _refusalsLeft, refuse ? int.MaxValue : 0);

    public IReadOnlyList<ReceivedWebhook> Accepted => Received.Where(r => r.Answered == 200).ToList();

    public async Task Until(Func<WebhookReceiver, bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the receiver got {Received.Count} request(s) ({Accepted.Count} accepted) in {within}, not what was expected");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
