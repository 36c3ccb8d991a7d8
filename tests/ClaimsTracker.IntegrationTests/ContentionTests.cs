using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using ClaimsTracker.Claims;
using Marten;
using Xunit.Abstractions;

namespace ClaimsTracker.IntegrationTests;

/// <summary>32 clients writing to one claim at once, with and without expectedVersion.</summary>
public sealed class ContentionTests(AppFixture fixture, ITestOutputHelper output) : IntegrationContext(fixture)
{
    private const int Clients = 32;
    private const int WritesPerClient = 6;

    [Fact]
    public async Task thirty_two_clients_without_expected_version_all_land_with_distinct_contiguous_versions()
    {
        var id = await Api.RegisteredClaim();
        var replies = new ConcurrentBag<(string Source, Reply Reply)>();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var write = 0; write < WritesPerClient; write++)
            {
                var source = $"client {client} write {write}";
                replies.Add((source, await Api.Post($"/api/claims/{id}/statements",
                    Scenarios.Statement(source, client % 2 == 0 ? "Russia" : null, "confirms", "2024-02-20T00:00:00Z"))));
            }
        })));

        replies.ShouldAllBe(r => r.Reply.Status == HttpStatusCode.OK);
        var acknowledged = replies.ToDictionary(r => Version(r.Reply), r => r.Source);
        acknowledged.Keys.Order().ShouldBe(Enumerable.Range(2, Clients * WritesPerClient).Select(v => (long)v));
        (await StatementsInStream(id)).ShouldBe(acknowledged.OrderBy(a => a.Key).ToList());
        output.WriteLine($"contention without expectedVersion: {replies.Count} writes, {acknowledged.Count} events verified, 0 lost");
    }

    [Fact]
    public async Task thirty_two_clients_with_expected_version_get_409_when_stale_and_the_stream_holds_exactly_the_accepted_writes()
    {
        var id = await Api.RegisteredClaim();
        var accepted = new ConcurrentDictionary<long, string>();
        var conflicts = 0;
        var others = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var write = 0; write < WritesPerClient; write++)
            {
                var source = $"client {client} write {write}";
                var read = await Api.Get($"/api/claims/{id}");
                var seen = long.Parse(read.Field("version")!, CultureInfo.InvariantCulture);
                var reply = await Api.Post($"/api/claims/{id}/statements",
                    Scenarios.Statement(source, "North Korea", "denies", "2024-02-20T00:00:00Z", expectedVersion: seen));
                switch (reply.Status)
                {
                    case HttpStatusCode.OK:
                        Version(reply).ShouldBe(seen + 1);
                        accepted.TryAdd(Version(reply), source).ShouldBeTrue();
                        break;
                    case HttpStatusCode.Conflict:
                        Interlocked.Increment(ref conflicts);
                        reply.ContentType.ShouldBe("application/problem+json");
                        long.Parse(reply.Field("currentVersion")!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(seen);
                        break;
                    default:
                        others.Add($"{(int)reply.Status}: {reply.Text}");
                        break;
                }
            }
        })));

        others.ShouldBeEmpty();
        conflicts.ShouldBeGreaterThan(0);
        accepted.Keys.Order().ShouldBe(Enumerable.Range(2, accepted.Count).Select(v => (long)v));
        (await StatementsInStream(id)).ShouldBe(accepted.OrderBy(a => a.Key).ToList());
        output.WriteLine($"contention with expectedVersion: {Clients * WritesPerClient} writes, {accepted.Count} accepted, " +
                         $"{conflicts} refused with 409, {accepted.Count} events verified, 0 lost");
    }

    private static long Version(Reply reply) => long.Parse(reply.Field("version")!, CultureInfo.InvariantCulture);

    /// <summary>The stream's statements as version → source name, read from the event store itself.</summary>
    private async Task<List<KeyValuePair<long, string>>> StatementsInStream(string id)
    {
        await using var session = Fixture.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(id));
        events[0].Data.ShouldBeOfType<ClaimRegistered>();
        return events.Skip(1).Select(e => KeyValuePair.Create(e.Version, ((StatementRecorded)e.Data).Source.Name)).ToList();
    }
}
