using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaimsTracker.Bench;

public sealed record Acknowledged(Guid ClaimId, long Version, long AckTicks);

public sealed class HttpLoad(Uri address, string key = ServiceProcess.EditorKey) : IDisposable
{
    private static readonly string[] Parties = ["Russia", "North Korea"];
    private static readonly string[] Stances = ["confirms", "denies", "declines_to_comment", "asserts"];
    private int _saturated;

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(120),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    public int Errors;

    public async Task<Guid> Register(int n)
    {
        var response = await _http.PostAsJsonAsync("/api/claims", new
        {
            statement = $"Benchmark claim {n}: North Korea has supplied rockets and missiles to Russia",
            parties = Parties,
            topics = new[] { "weapons", $"topic-{n % 50}" },
            firstReport = new { outlet = "Bench Wire", url = $"https://example.org/{n}", headline = "Bench", publishedAt = "2024-02-20T00:00:00Z" },
        });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return Guid.Parse(body!["id"]!.GetValue<string>());
    }

    public async Task<Acknowledged?> Statement(Guid claimId, int n)
    {
        var body = JsonSerializer.Serialize(StatementBody(n));
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync($"/api/claims/{claimId}/statements", content);
        var ack = Stopwatch.GetTimestamp();
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref Errors);
            return null;
        }

        var reply = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new Acknowledged(claimId, reply!["version"]!.GetValue<long>(), ack);
    }

    private static object StatementBody(int n) => new
    {
        source = new { name = $"Source {n % 97}", role = "spokesperson", party = n % 5 == 0 ? null : Parties[n % 2] },
        stance = Stances[n % Stances.Length],
        quote = "On the record.",
        statedAt = new DateTimeOffset(2024, 2, 20, 0, 0, 0, TimeSpan.Zero).AddMinutes(n % 1_000_000).ToString("O"),
    };

    public async Task<Acknowledged?> StatementBatch(Guid claimId, int first, int count)
    {
        var body = JsonSerializer.Serialize(new { statements = Enumerable.Range(first, count).Select(StatementBody).ToArray() });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync($"/api/claims/{claimId}/statements/batch", content);
        var ack = Stopwatch.GetTimestamp();
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref Errors);
            Console.Error.WriteLine($"  batch refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return null;
        }

        var reply = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new Acknowledged(claimId, reply!["version"]!.GetValue<long>(), ack);
    }

    /// <summary>Closed loop: each worker writes as fast as its answers come back. Writes per second.</summary>
    public async Task<double> Saturate(IReadOnlyList<Guid> claims, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        // each round goes on in world time where the last left off, as a desk records what is said
        var from = Interlocked.Add(ref _saturated, 10_000) - 10_000;
        var counts = await Task.WhenAll(claims.Select(async (claim, worker) =>
        {
            var done = 0;
            for (var n = (worker * 1_000_000) + from; clock.Elapsed < duration; n++)
            {
                if (await Statement(claim, n) is not null)
                {
                    done++;
                }
            }

            return done;
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    public async Task<Latencies> OneAtATime(Guid claim, TimeSpan duration)
    {
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var started = Stopwatch.GetTimestamp();
            _ = await Statement(claim, n);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }

    /// <summary>Open loop: latency counts from each write's scheduled moment, so a slow answer cannot hide the writes queued behind it.</summary>
    public async Task<Latencies> Paced(IReadOnlyList<Guid> claims, double rate, TimeSpan duration, Action<Acknowledged>? acknowledged = null)
    {
        var latencies = new Latencies();
        var interval = TimeSpan.FromSeconds(claims.Count / rate);
        // later in world time than the rounds before, as Saturate: a back-dated statement has the timeline derive itself again
        var from = Interlocked.Add(ref _saturated, 10_000) - 10_000;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(claims.Select(async (claim, worker) =>
        {
            var offset = TimeSpan.FromTicks(interval.Ticks * worker / claims.Count);
            for (var k = 0; ; k++)
            {
                var due = offset + (interval * k);
                if (due > duration)
                {
                    return;
                }

                var wait = due - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var ack = await Statement(claim, (worker * 1_000_000) + from + k);
                latencies.Add((Stopwatch.GetElapsedTime(start) - due).TotalMilliseconds);
                if (ack is not null)
                {
                    acknowledged?.Invoke(ack);
                }
            }
        }));
        return latencies;
    }

    public Task<Latencies> Reads(string path, int requests, int clients, TimeSpan? limit = null) =>
        Reads(_ => path, requests, clients, limit);

    public async Task<Latencies> Reads(Func<int, string> path, int requests, int clients, TimeSpan? limit = null)
    {
        var latencies = new Latencies();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < requests && (limit is null || clock.Elapsed < limit))
            {
                var uri = path(n);
                var started = Stopwatch.GetTimestamp();
                using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref Errors);
                }
            }
        }));
        return latencies;
    }

    public async Task<long> Size(string path) => (await _http.GetByteArrayAsync(path)).LongLength;

    public async Task<byte[]> Export() => await _http.GetByteArrayAsync("/api/audit/events.ndjson");

    public async Task<(int Events, double Seconds)> Import(byte[] ndjson)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/import") { Content = new ByteArrayContent(ndjson) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.AdminKey);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var clock = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request);
        var seconds = clock.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var report = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (report!["events"]!.GetValue<int>(), seconds);
    }

    public void Dispose() => _http.Dispose();
}
