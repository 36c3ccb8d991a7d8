using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ClaimsTracker.FaultTests;

/// <summary>
/// One claim of 3,006 events with long quotes, read by 16 anonymous clients at once: every read costs its page, so the
/// rest of the service (health, the list, the outage monitor) keeps answering and memory stays bounded.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LongClaimReadTests(FaultFixture postgres, ITestOutputHelper output)
{
    private const int Statements = 3005;
    private const int Readers = 16;
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task sixteen_readers_of_a_long_claim_leave_health_and_other_reads_fast_with_no_503_and_bounded_memory()
    {
        await using var service = await ServiceProcess.Start(await postgres.FreshDatabase());
        var id = await LongClaim(service);
        using var anonymous = new HttpClient { BaseAddress = service.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        (await anonymous.GetAsync($"/api/claims/{id}/replay?pageSize=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var residentBefore = service.ResidentBytes;

        string[] reads =
        [
            $"/api/claims/{id}/replay?pageSize=1", $"/api/claims/{id}/replay?page=3006&pageSize=1",
            $"/api/claims/{id}/replay?page=30&pageSize=100", $"/api/claims/{id}/history?page=60&pageSize=50",
            $"/claims/{id}", $"/claims/{id}/replay?step=2999", $"/api/claims/{id}/events.ndjson", $"/api/claims/{id}/claimreview",
        ];
        foreach (var (read, i) in reads.Concat(reads).Select((r, i) => (r, i)))
        {
            var (status, ms) = await Timed(anonymous, read);
            if (i >= reads.Length)
            {
                output.WriteLine($"alone, warm: {read} → {status} in {ms:F0} ms");
            }
        }

        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        var stop = DateTime.UtcNow + Load;
        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            for (var i = r; DateTime.UtcNow < stop; i++)
            {
                using var reply = await anonymous.GetAsync(reads[i % reads.Length], HttpCompletionOption.ResponseHeadersRead);
                statuses.Add((int)reply.StatusCode);
                // the export's first bytes are enough: a client that reads them must not cost the whole stream
                await using var body = await reply.Content.ReadAsStreamAsync();
                await body.ReadAtLeastAsync(new byte[64 * 1024], 64 * 1024, throwOnEndOfStream: false);
            }
        })).ToList();

        var health = new List<(int Status, double Ms)>();
        var list = new List<(int Status, double Ms)>();
        var resident = residentBefore;
        while (DateTime.UtcNow < stop)
        {
            health.Add(await Timed(anonymous, "/health/ready"));
            list.Add(await Timed(anonymous, "/api/claims"));
            resident = Math.Max(resident, service.ResidentBytes);
            await Task.Delay(200);
        }

        await Task.WhenAll(readers);
        using var page = await anonymous.GetAsync($"/claims/{id}");
        var pageBytes = (await page.Content.ReadAsByteArrayAsync()).Length;
        var logged = string.Join('\n', service.Output);

        output.WriteLine($"{statuses.Count} long-claim reads by {Readers} clients in {Load.TotalSeconds} s: " +
                         string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}")) +
                         $"; /health/ready max {health.Max(h => h.Ms):F0} ms over {health.Count}; /api/claims max {list.Max(h => h.Ms):F0} ms; " +
                         $"resident {residentBefore / 1_048_576} MB before, {resident / 1_048_576} MB at most; claim page {pageBytes / 1024} KB");
        statuses.ShouldNotContain(503);
        statuses.ShouldAllBe(s => s == 200 || s == 429);
        health.ShouldAllBe(h => h.Status == 200);
        list.ShouldAllBe(h => h.Status == 200);
        logged.ShouldNotContain("PostgreSQL does not answer");
        // liveness bounds, not performance figures: a starved monitor or a stream-sized read takes several seconds
        health.Max(h => h.Ms).ShouldBeLessThan(2000);
        list.Max(h => h.Ms).ShouldBeLessThan(2000);
        (resident - residentBefore).ShouldBeLessThan(300L * 1_048_576);
        pageBytes.ShouldBeLessThan(1_048_576);
    }

    private static async Task<(int, double)> Timed(HttpClient http, string url)
    {
        var clock = Stopwatch.StartNew();
        using var reply = await http.GetAsync(url);
        await reply.Content.ReadAsByteArrayAsync();
        return ((int)reply.StatusCode, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Registers a claim and records 3,005 statements of ~2 KB quotes in batches: 3,006 events.</summary>
    private static async Task<string> LongClaim(ServiceProcess service)
    {
        var registered = await Send(service, HttpMethod.Post, "/api/claims", new
        {
            statement = "North Korea has supplied rockets and missiles to Russia",
            parties = new[] { "Russia", "North Korea" },
            topics = new[] { "weapons" },
            firstReport = new { outlet = "Example Wire", url = "https://example.org/a", headline = "Weapons", publishedAt = "2024-02-20T00:00:00Z" },
        });
        var id = registered["id"]!.GetValue<string>();
        var quote = string.Concat(Enumerable.Repeat("a long quotation from the briefing, word for word; ", 40));
        for (var done = 0; done < Statements; done += 1000)
        {
            var statements = Enumerable.Range(done, Math.Min(1000, Statements - done)).Select(i => new
            {
                source = new { name = $"Source {i % 50}", party = (i % 3) switch { 0 => "Russia", 1 => "North Korea", _ => "Japan" } },
                stance = i % 2 == 0 ? "confirms" : "denies",
                quote,
                statedAt = DateTimeOffset.Parse("2024-02-20T00:00:00Z").AddMinutes(i % 700).ToString("O"),
            }).ToArray();
            await Send(service, HttpMethod.Post, $"/api/claims/{id}/statements/batch", new { statements });
        }

        return id;
    }

    private static async Task<JsonNode> Send(ServiceProcess service, HttpMethod method, string url, object body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Authorization", $"Bearer {ServiceProcess.EditorKey}");
        using var reply = await service.Http.SendAsync(request);
        var text = await reply.Content.ReadAsStringAsync();
        reply.IsSuccessStatusCode.ShouldBeTrue($"{method} {url}: {(int)reply.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
