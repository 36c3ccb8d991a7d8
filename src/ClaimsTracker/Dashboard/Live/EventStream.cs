using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// One server-sent event stream for every open page: "claim" when a claim's summary changed (id, version, status),
/// "projections" when the async daemon advanced a projection. Pages refresh only the part they show.
/// </summary>
public static class EventStreamEndpoint
{
    [NoReadDeadline] // open for as long as the page is
    [WolverineGet("/events/stream", OperationId = "EventStream")]
    [Tags("Dashboard")]
    [EndpointSummary("Live changes as server-sent events: claim (id, version, status) and projections (shard, sequence)")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/event-stream")]
    public static IResult Get(LiveFeed feed, HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        // a reverse proxy must pass each event on as it comes rather than buffer the response
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Changes(feed, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> Changes(LiveFeed feed, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = feed.Subscribe();
        yield return new SseItem<string>("{}", "ready") { ReconnectionInterval = TimeSpan.FromSeconds(2) };
        while (true)
        {
            LiveChange change;
            try
            {
                change = await subscription.Changes.ReadAsync(ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return new SseItem<string>(change.Data, change.Topic);
        }
    }
}
