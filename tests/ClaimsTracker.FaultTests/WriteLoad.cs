using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaimsTracker.FaultTests;

/// <summary>A write the service acknowledged with 2xx: where it landed, under which key, and the exact request.</summary>
public sealed record Acknowledged(Guid ClaimId, long Version, string Key, string Route, string Body, string Reply);

/// <summary>
/// Writers that register claims and record statements in a loop, each write under its own Idempotency-Key. A write
/// that gets no answer or a 503 is retried with the same key until it is answered, as a careful client does.
/// </summary>
public sealed class WriteLoad(Func<HttpClient> client, int writers)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly ConcurrentQueue<double> _failureMilliseconds = new();
    private Task? _running;
    private int _sent;

    public ConcurrentBag<Acknowledged> Acknowledged { get; } = [];

    public int Sent => _sent;

    public IReadOnlyDictionary<string, int> Answers => _answers;

    /// <summary>Answers that break the contract: a 5xx other than 503, a 503 without Retry-After, a refused valid write.</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    /// <summary>How long each answered 503 took, in milliseconds.</summary>
    public IReadOnlyCollection<double> FailureMilliseconds => _failureMilliseconds;

    /// <summary>How long the slowest answered request took, in milliseconds.</summary>
    public double SlowestAnswerMilliseconds { get; private set; }

    public void Start() => _running = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => Writer(w))));

    /// <summary>Stops starting new writes and waits until every started one has been answered.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running!;
    }

    public string Summary() =>
        $"{Sent} requests, {Acknowledged.Count} acknowledged; answers {string.Join(", ", Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}×{a.Value}"))}";

    private async Task Writer(int writer)
    {
        Guid? claim = null;
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var key = $"w{writer}-{n}-{Guid.NewGuid():N}";
            if (claim is null || n % 25 == 0)
            {
                var body = JsonSerializer.Serialize(new
                {
                    statement = $"Claim {key}", parties = new[] { "Russia", "North Korea" }, topics = new[] { "weapons" },
                    firstReport = new { outlet = "Example Wire", url = "https://example.org/a", headline = "H", publishedAt = "2024-02-20T00:00:00Z" },
                });
                var reply = await Write("/api/claims", body, key);
                claim = reply is null ? claim : Guid.Parse(reply["id"]!.ToString());
            }
            else
            {
                var body = JsonSerializer.Serialize(new
                {
                    source = new { name = key, role = "spokesperson", party = n % 2 == 0 ? "Russia" : "North Korea" },
                    stance = n % 3 == 0 ? "denies" : "confirms", quote = "On the record.",
                    statedAt = DateTimeOffset.Parse("2024-02-20T00:00:00Z", CultureInfo.InvariantCulture).AddMinutes(n).ToString("O", CultureInfo.InvariantCulture),
                });
                await Write($"/api/claims/{claim}/statements", body, key);
            }
        }
    }

    /// <summary>Sends one write until it is answered (at most about a minute), always under the same key.</summary>
    private async Task<JsonNode?> Write(string route, string body, string key)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            Interlocked.Increment(ref _sent);
            var clock = Stopwatch.StartNew();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.EditorKey}");
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
                using var response = await client().SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                SlowestAnswerMilliseconds = Math.Max(SlowestAnswerMilliseconds, clock.Elapsed.TotalMilliseconds);
                if (clock.Elapsed > TimeSpan.FromSeconds(3))
                {
                    Count($"{status} after {clock.Elapsed.TotalSeconds:F0} s");
                }

                Count(status.ToString(CultureInfo.InvariantCulture));
                if (status is 200 or 201)
                {
                    var reply = JsonNode.Parse(text)!;
                    var claimId = Guid.Parse(reply["id"]?.ToString() ?? route.Split('/')[3]);
                    Acknowledged.Add(new Acknowledged(claimId, long.Parse(reply["version"]!.ToString(), CultureInfo.InvariantCulture), key, route, body, text));
                    return reply;
                }

                if (status == 503)
                {
                    _failureMilliseconds.Enqueue(clock.Elapsed.TotalMilliseconds);
                    if (response.Headers.RetryAfter is null)
                    {
                        _unexpected.Enqueue($"503 without Retry-After on {route}");
                    }
                }
                else
                {
                    _unexpected.Enqueue($"{status} on {route}: {text}");
                    return null;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Count("no answer");
            }

            await Task.Delay(250);
        }

        _unexpected.Enqueue($"never answered: {route} {key}");
        return null;
    }

    private void Count(string answer) => _answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
}
