using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ClaimsTracker.FaultTests;

/// <summary>
/// The OTLP end of the telemetry: the real service, configured only by the standard OTEL_* variables, pushes its traces
/// and metrics over OTLP/HTTP to a receiver in this process, as it would to Jaeger or an OpenTelemetry Collector
/// (neither is packaged here). The in-memory exporter of the integration tests never goes through this path.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OtlpTests(FaultFixture postgres, ITestOutputHelper output)
{
    private const string StatementRoute = "/api/claims/{claimId}/statements";
    private const string StatementsMetric = "claimstracker.statements.recorded";

    [Fact]
    public async Task otlp_http_export_carries_the_writes_span_and_the_product_meter_under_the_service_resource_and_no_key()
    {
        await using var receiver = new OtlpReceiver();
        var database = await postgres.FreshDatabase();
        var clock = Stopwatch.StartNew();
        await using var service = await ServiceProcess.Start(database, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });

        var claim = await Post(service, "/api/claims", """
            {"statement":"Exported claim","parties":["Russia"],"topics":["weapons"],
             "firstReport":{"outlet":"Example Wire","url":"https://example.org/o","headline":"H","publishedAt":"2024-02-20T00:00:00Z"}}
            """, ServiceProcess.EditorKey);
        ((int)claim.Status).ShouldBe(201, claim.Text);
        var claimId = JsonNode.Parse(claim.Text)!["id"]!.ToString();
        var statement = await Post(service, $"/api/claims/{claimId}/statements", """
            {"source":{"name":"A spokesperson","role":"spokesperson","party":"Russia"},"stance":"denies","quote":"No.",
             "statedAt":"2024-02-21T00:00:00Z"}
            """, ServiceProcess.EditorKey);
        ((int)statement.Status).ShouldBeOneOf([200, 201], statement.Text);
        // a key where the service never takes one: the span's url.query must not carry it
        using (var keyInQuery = await service.Http.GetAsync($"/api/claims?access_token={ServiceProcess.AdminKey}"))
        {
            keyInQuery.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var written = clock.Elapsed;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20) &&
               !(receiver.Got("/v1/traces", StatementRoute) && receiver.Got("/v1/metrics", StatementsMetric)))
        {
            await Task.Delay(100);
        }

        var waited = deadline.Elapsed;
        var requests = receiver.Requests.ToList();
        output.WriteLine($"otlp: service up and written in {written.TotalMilliseconds:F0} ms; exports seen {waited.TotalMilliseconds:F0} ms later; " +
                         $"{requests.Count} POSTs: {string.Join(", ", requests.GroupBy(r => $"{r.Path} {r.ContentType}").Select(g => $"{g.Key} ×{g.Count()} ({g.Sum(r => r.Body.Length)} B)"))}");

        var traces = requests.Where(r => r.Path == "/v1/traces").ToList();
        var metrics = requests.Where(r => r.Path == "/v1/metrics").ToList();
        traces.ShouldNotBeEmpty($"no trace export reached the receiver; service output:\n{string.Join('\n', service.Output.TakeLast(20))}");
        metrics.ShouldNotBeEmpty("no metric export reached the receiver");
        requests.ShouldAllBe(r => r.ContentType == "application/x-protobuf");
        requests.Select(r => r.Path).Distinct().ShouldBe(["/v1/metrics", "/v1/traces"], ignoreOrder: true);

        // the resource: KeyValue{key "service.name", value AnyValue{string_value "claimstracker"}}, as protobuf encodes it
        byte[] serviceName = [0x0A, 12, .. "service.name"u8, 0x12, 15, 0x0A, 13, .. "claimstracker"u8];
        traces.ShouldAllBe(r => Contains(r.Body, serviceName));
        metrics.ShouldAllBe(r => Contains(r.Body, serviceName));
        traces.ShouldContain(r => Contains(r.Body, Encoding.UTF8.GetBytes($"POST {StatementRoute}")), "the statement's server span");
        metrics.ShouldContain(r => Contains(r.Body, Encoding.UTF8.GetBytes(StatementsMetric)), "the product's statement counter");

        foreach (var key in new[] { ServiceProcess.EditorKey, ServiceProcess.AdminKey, ServiceProcess.ReaderKey, ServiceProcess.RevokedKey })
        {
            requests.ShouldNotContain(r => Contains(r.Body, Encoding.UTF8.GetBytes(key)), $"the key {key} was exported");
        }
    }

    private static bool Contains(byte[] body, byte[] part) => body.AsSpan().IndexOf(part) >= 0;

    private static async Task<(HttpStatusCode Status, string Text)> Post(ServiceProcess service, string route, string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        using var reply = await service.Http.SendAsync(request);
        return (reply.StatusCode, await reply.Content.ReadAsStringAsync());
    }

    private sealed record OtlpRequest(string Path, string? ContentType, byte[] Body);

    /// <summary>A minimal OTLP/HTTP receiver on the loopback: answers every POST with 200 and keeps its path, type and body.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public OtlpReceiver()
        {
            Endpoint = $"http://127.0.0.1:{FreePort()}";
            _listener.Prefixes.Add($"{Endpoint}/");
            _listener.Start();
            _serving = Task.Run(Serve);
        }

        public string Endpoint { get; }

        public ConcurrentQueue<OtlpRequest> Requests { get; } = new();

        public bool Got(string path, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return Requests.Any(r => r.Path == path && Contains(r.Body, bytes));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
            }

            _listener.Close();
        }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.HttpMethod == "POST")
                {
                    Requests.Enqueue(new OtlpRequest(context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                }

                // an empty Export*ServiceResponse: full success
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.ContentLength64 = 0;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
