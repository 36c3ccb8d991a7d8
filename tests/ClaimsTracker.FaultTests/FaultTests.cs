using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace ClaimsTracker.FaultTests;

/// <summary>
/// The real service as a process on a real PostgreSQL, under write load, while it is killed, the database is
/// frozen, or it is stopped. Bounded in count and time; figures are printed, never asserted on.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FaultTests(FaultFixture postgres, ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int Kills = 5;

    [Fact]
    public async Task sigkill_five_times_under_load_loses_no_acknowledged_write_and_projections_equal_a_rebuild()
    {
        var database = await postgres.FreshDatabase();
        await using var service = await ServiceProcess.Start(database);
        var store = new StoreChecks(database);
        var load = new WriteLoad(() => service.Http, Writers);

        load.Start();
        await Warm(load);
        for (var kill = 0; kill < Kills; kill++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1500 + kill * 300));
            await service.Kill();
            await service.Start();
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();
        var replays = await ReplaySome(service, load.Acknowledged, 25);
        var catchUp = await store.ProjectionsCaughtUp(TimeSpan.FromSeconds(90));
        var missing = await store.Missing(load.Acknowledged);
        var duplicated = await store.DuplicatedKeys();
        var live = await store.Projections();
        (await service.Stop()).ShouldBe(0);
        var rebuild = await service.Cli("projections", "rebuild");
        var rebuilt = await store.Projections();

        output.WriteLine($"crash: {load.Summary()}; {Kills} SIGKILLs; {load.Acknowledged.Count} acknowledged writes verified " +
                         $"in {await store.EventCount()} stored events; lost {missing.Count}; applied twice {duplicated.Count}; " +
                         $"{replays} retries after restart answered identically; projections caught up in {catchUp.TotalMilliseconds:F0} ms");
        load.Unexpected.ShouldBeEmpty();
        load.Acknowledged.Count.ShouldBeGreaterThan(50);
        missing.ShouldBeEmpty();
        duplicated.ShouldBeEmpty();
        rebuild.ExitCode.ShouldBe(0, rebuild.Output);
        live.ShouldContain("timeline ");
        StoreChecks.Differences(live, rebuilt).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_database_frozen_for_ten_seconds_gets_fast_503s_then_the_service_recovers_and_loses_nothing()
    {
        var database = await postgres.FreshDatabase();
        await using var service = await ServiceProcess.Start(database);
        var store = new StoreChecks(database);
        var load = new WriteLoad(() => service.Http, Writers);
        var probes = new List<(string What, int Status, bool RetryAfter, double Milliseconds)>();

        load.Start();
        await Warm(load);
        var acknowledgedBefore = load.Acknowledged.Count;
        await postgres.Pause();
        var outage = Stopwatch.StartNew();
        try
        {
            while (outage.Elapsed < TimeSpan.FromSeconds(10))
            {
                probes.Add(await Probe(service, "/health/ready"));
                probes.Add(await Probe(service, "/api/claims"));
                await Task.Delay(500);
            }
        }
        finally
        {
            await postgres.Unpause();
        }

        var recovery = Stopwatch.StartNew();
        while ((await Probe(service, "/health/ready")).Status != 200 && recovery.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
        }

        var readyAfter = recovery.Elapsed;
        var acknowledgedDuring = load.Acknowledged.Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await load.StopAsync();
        var catchUp = await store.ProjectionsCaughtUp(TimeSpan.FromSeconds(90));
        var missing = await store.Missing(load.Acknowledged);
        var duplicated = await store.DuplicatedKeys();
        var refused = probes.Where(p => p.Status != 200 && p.Status != 0).ToList();
        var unanswered = probes.Count(p => p.Status == 0);
        var answered503 = load.FailureMilliseconds.Count + refused.Count(p => p.What == "/api/claims" && p.Status == 503);
        var counted503 = await Counted(service, "claimstracker_requests_database_unavailable_total");

        output.WriteLine($"outage: {load.Summary()}; 1 pause of 10 s; {probes.Count} probes during it " +
                         $"({refused.Count} refused in {refused.Min(p => p.Milliseconds):F0}-{refused.Max(p => p.Milliseconds):F0} ms, {unanswered} unanswered within 8 s); 503s to writers: {load.FailureMilliseconds.Count}, " +
                         $"slowest {(load.FailureMilliseconds.Count > 0 ? load.FailureMilliseconds.Max() : 0):F0} ms; slowest answer of all {load.SlowestAnswerMilliseconds:F0} ms; " +
                         $"ready again {readyAfter.TotalMilliseconds:F0} ms after unpause; acknowledged {acknowledgedBefore} before, " +
                         $"{acknowledgedDuring - acknowledgedBefore} during (in flight at the pause), {load.Acknowledged.Count - acknowledgedDuring} after; " +
                         $"{load.Acknowledged.Count} verified; lost {missing.Count}; " +
                         $"{await store.Tombstones()} tombstones for failed appends; projections caught up in {catchUp.TotalMilliseconds:F0} ms; " +
                         $"database 503s on /metrics {counted503} for {answered503} answered to writers and API probes");
        load.Unexpected.ShouldBeEmpty();
        // each 503 is counted once by the service; a write whose answer never reached the writer may have been one
        counted503.ShouldBeInRange(answered503, answered503 + load.Answers.GetValueOrDefault("no answer"));
        // writes caught inside a database call by the freeze are answered by the write deadline, not by the thaw
        load.SlowestAnswerMilliseconds.ShouldBeLessThan(8_000);
        refused.ShouldNotBeEmpty();
        refused.ShouldAllBe(p => p.Status == 503 && p.RetryAfter);
        // reads caught inside a database call by the freeze are answered by the read deadline, not by the thaw
        unanswered.ShouldBe(0);
        (await Probe(service, "/health/ready")).Status.ShouldBe(200);
        load.Acknowledged.Count.ShouldBeGreaterThan(acknowledgedDuring);
        missing.ShouldBeEmpty();
        duplicated.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_graceful_stop_under_load_answers_cleanly_and_leaves_the_daemon_consistent()
    {
        var database = await postgres.FreshDatabase();
        await using var service = await ServiceProcess.Start(database);
        var store = new StoreChecks(database);
        var load = new WriteLoad(() => service.Http, Writers);

        load.Start();
        await Warm(load);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var exitCode = await service.Stop();
        var stopped = clock.Elapsed;
        await service.Start();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await load.StopAsync();
        var catchUp = await store.ProjectionsCaughtUp(TimeSpan.FromSeconds(90));
        var missing = await store.Missing(load.Acknowledged);
        var live = await store.Projections();
        (await service.Stop()).ShouldBe(0);
        var rebuild = await service.Cli("projections", "rebuild");

        output.WriteLine($"shutdown: {load.Summary()}; 1 SIGTERM under load, stopped in {stopped.TotalMilliseconds:F0} ms with exit code {exitCode}; " +
                         $"{load.Acknowledged.Count} verified; lost {missing.Count}; projections caught up in {catchUp.TotalMilliseconds:F0} ms");
        exitCode.ShouldBe(0);
        load.Unexpected.ShouldBeEmpty();
        missing.ShouldBeEmpty();
        rebuild.ExitCode.ShouldBe(0, rebuild.Output);
        StoreChecks.Differences(live, await store.Projections()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("json")]
    public async Task writes_over_the_rate_limit_get_429_and_kestrel_limits_answer_without_a_5xx_and_keys_are_never_logged(string format)
    {
        var database = await postgres.FreshDatabase();
        await using var service = await ServiceProcess.Start(database, new Dictionary<string, string>
        {
            ["Limits:WritesPerSecond"] = "1",
            ["Limits:WriteBurst"] = "5",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:Console:FormatterName"] = format,
        });
        var store = new StoreChecks(database);
        var statuses = new List<int>();
        var throttled = new List<HttpResponseMessage>();

        for (var i = 0; i < 20; i++)
        {
            var reply = await Post(service, "/api/claims", Claim(i), ServiceProcess.EditorKey);
            statuses.Add((int)reply.StatusCode);
            if (reply.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throttled.Add(reply);
            }
        }

        var forged = new[] { ServiceProcess.RevokedKey, "forged-key-0123456789", $"{ServiceProcess.EditorKey}x" };
        var refusals = new List<int>();
        foreach (var key in forged)
        {
            refusals.Add((int)(await Post(service, "/api/claims", Claim(99), key)).StatusCode);
        }

        using var hugeHeader = new HttpRequestMessage(HttpMethod.Get, "/api/claims");
        hugeHeader.Headers.TryAddWithoutValidation("X-Padding", new string('h', 64 * 1024));
        var headerStatus = (int)(await service.Http.SendAsync(hugeHeader)).StatusCode;
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/claims")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"statement\":\"{new string('a', 300_000)}\"}}"))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.AdminKey}");
        using var bodyReply = await service.Http.SendAsync(chunked);
        // keys in the query string, where the service never takes one: refused or ignored, and never logged
        var inQuery = new[]
        {
            $"/api/claims?api_key={ServiceProcess.ReaderKey}", $"/api/claims?status=confirmed&access_token={ServiceProcess.AdminKey}",
            $"/?KEY={ServiceProcess.EditorKey}", $"/api/claims?Api-Key={ServiceProcess.RevokedKey}",
            "/api/claims?apiKey=forged-query-key-0123", "/api/claims?x-api-key=forged-query-key-4567&token=forged-query-key-89ab",
        };
        var queryStatuses = new List<int>();
        foreach (var url in inQuery)
        {
            using var reply = await service.Http.GetAsync(url);
            queryStatuses.Add((int)reply.StatusCode);
        }

        using var queryWrite = await service.Http.PostAsync($"/api/claims?api_key={ServiceProcess.AdminKey}",
            new StringContent(Claim(98), Encoding.UTF8, "application/json"));
        var malformed = new List<int>();
        foreach (var body in new[] { new string('[', 500) + new string(']', 500), "{\"statement\":", "{\"parties\":\"Russia\"}" })
        {
            malformed.Add((int)(await Post(service, "/api/claims", body, ServiceProcess.AdminKey)).StatusCode);
        }

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.AdminKey}");
        var metrics = await (await service.Http.SendAsync(scrape)).Content.ReadAsStringAsync();
        await service.Stop();
        var log = format == "json" ? JsonLog.Read(service.Output) : null;
        var logged = log?.Text ?? string.Join('\n', service.Output);

        var accepted = statuses.Count(s => s == 201);
        output.WriteLine($"rate limit: 20 writes in a burst → {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}"))}; " +
                         $"forged keys → {string.Join(", ", refusals)}; 64 KiB header → {headerStatus}; 300 kB chunked body → {(int)bodyReply.StatusCode}; " +
                         $"{service.Output.Count} log lines checked for keys");
        throttled.ShouldNotBeEmpty();
        metrics.Split('\n').Single(l => l.StartsWith("claimstracker_requests_rate_limited_total{", StringComparison.Ordinal) &&
                                        l.Contains("limit=\"writes\"", StringComparison.Ordinal))
            .ShouldEndWith($"}} {throttled.Count}");
        throttled.ShouldAllBe(r => r.Headers.RetryAfter != null && r.Content.Headers.ContentType!.MediaType == "application/problem+json");
        statuses.ShouldAllBe(s => s == 201 || s == 429);
        (await store.EventCount()).ShouldBe(accepted);
        refusals.ShouldAllBe(s => s == 401);
        headerStatus.ShouldBe(431);
        ((int)bodyReply.StatusCode).ShouldBe(413);
        logged.ShouldContain("ApiKey was not authenticated");
        queryStatuses.ShouldAllBe(s => s == 200);
        ((int)queryWrite.StatusCode).ShouldBe(401);
        malformed.ShouldAllBe(s => s == 400);
        var secrets = forged.Concat([ServiceProcess.EditorKey, ServiceProcess.AdminKey, ServiceProcess.ReaderKey, ServiceProcess.RevokedKey,
            "forged-query-key-0123", "forged-query-key-4567", "forged-query-key-89ab"]);
        foreach (var secret in secrets)
        {
            logged.ShouldNotContain(secret);
        }

        // the request log stays: the path and the harmless parameters, the key's value redacted
        logged.ShouldContain("GET /api/claims?status=confirmed&access_token=[redacted] answered 200");

        // a malformed body is the caller's mistake: no error and no stack trace in the service's log
        service.Output.Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            .ShouldBeEmpty();
        logged.ShouldNotContain("JsonException");
        if (log is not null)
        {
            output.WriteLine($"json: {log.Entries.Count} entries, {log.InRequests.Count} written during a request, {log.Other.Count} other lines");
            log.Entries.ShouldNotContain(e => e.Level == "Error" || e.Level == "Critical");
            log.Entries.Count(e => e.Category == "ClaimsTracker.Requests").ShouldBeGreaterThan(30);
            // every line written while a request ran carries the request's trace id
            log.InRequests.ShouldNotBeEmpty();
            log.InRequests.ShouldAllBe(e => e.TraceId != null && e.TraceId.Length == 32);
        }
    }

    /// <summary>The sum of a counter's series on the service's /metrics (admin key).</summary>
    private static async Task<double> Counted(ServiceProcess service, string metric)
    {
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.AdminKey}");
        var text = await (await service.Http.SendAsync(scrape)).Content.ReadAsStringAsync();
        return text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Waits (bounded) until the load's first writes are acknowledged, past the service's first-request warm-up.</summary>
    private static async Task Warm(WriteLoad load)
    {
        for (var wait = 0; wait < 120 && load.Acknowledged.Count < 40; wait++)
        {
            await Task.Delay(250);
        }
    }

    /// <summary>Sends acknowledged writes again under their keys after the restarts: the same answer, nothing added.</summary>
    private static async Task<int> ReplaySome(ServiceProcess service, IEnumerable<Acknowledged> acknowledged, int count)
    {
        var replayed = 0;
        foreach (var write in acknowledged.OrderBy(a => a.Key, StringComparer.Ordinal).Take(count))
        {
            using var reply = await Post(service, write.Route, write.Body, ServiceProcess.EditorKey, write.Key);
            ((int)reply.StatusCode).ShouldBeOneOf(200, 201);
            (await reply.Content.ReadAsStringAsync()).ShouldBe(write.Reply);
            reply.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
            replayed++;
        }

        return replayed;
    }

    private static async Task<HttpResponseMessage> Post(ServiceProcess service, string route, string body, string key, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return await service.Http.SendAsync(request);
    }

    private static async Task<(string What, int Status, bool RetryAfter, double Milliseconds)> Probe(ServiceProcess service, string url)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(8));
            using var reply = await service.Http.GetAsync(url, timeout.Token);
            return (url, (int)reply.StatusCode, reply.Headers.RetryAfter is not null, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (url, 0, false, clock.Elapsed.TotalMilliseconds);
        }
    }

    private static string Claim(int i) =>
        $$$"""
        {"statement":"Rate-limited claim {{{i}}}","parties":["Russia"],"topics":["weapons"],
         "firstReport":{"outlet":"Example Wire","url":"https://example.org/r","headline":"H","publishedAt":"2024-02-20T00:00:00Z"}}
        """;
}
