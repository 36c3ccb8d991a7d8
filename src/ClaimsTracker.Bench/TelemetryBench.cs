using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace ClaimsTracker.Bench;

/// <summary>
/// T1: what telemetry costs a write. The P1 load on two service processes of the same store, one with telemetry off
/// (Telemetry:Enabled=false), one with all of it on as an operator runs it (its /metrics scraped every second, traces
/// and metrics pushed over OTLP/HTTP to a sink in this process), in rounds that alternate which goes first.
/// </summary>
internal static class TelemetryBench
{
    public static async Task<int> Run(Results results, Plan plan, string connectionString, string serviceDll)
    {
        using var sink = new OtlpSink();
        await using var off = await ServiceProcess.Start(serviceDll, connectionString, plan.Port + 3, schemaReady: true,
            new Dictionary<string, string> { ["Telemetry__Enabled"] = "false" });
        await using var on = await ServiceProcess.Start(serviceDll, connectionString, plan.Port + 4, schemaReady: true,
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Address, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
            });
        using var offLoad = new HttpLoad(off.Address);
        using var onLoad = new HttpLoad(on.Address);
        var offWriters = await Task.WhenAll(Enumerable.Range(2_000, plan.Clients).Select(offLoad.Register));
        var onWriters = await Task.WhenAll(Enumerable.Range(3_000, plan.Clients).Select(onLoad.Register));
        Progress.Say($"T1: telemetry off and on, {plan.Clients} clients writing statements, {plan.Rounds} × 2 × {plan.Burst.TotalSeconds} s, alternating");

        var (offRates, onRates, scrapes) = (new List<double>(), new List<double>(), 0);
        var (offCpu, onCpu) = (0.0, 0.0);
        for (var round = 0; round < plan.Rounds; round++)
        {
            foreach (var telemetry in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var (service, load, writers) = telemetry ? (on, onLoad, onWriters) : (off, offLoad, offWriters);
                // each round starts from rest: the daemon's and the log's catching up after the last round is not charged to this one
                await Settle(off, on);
                using var stop = new CancellationTokenSource();
                var scraping = telemetry ? Scrape(on.Address, stop.Token) : Task.FromResult(0);
                var cpu = service.CpuSeconds();
                var rate = await load.Saturate(writers, plan.Burst);
                var perWrite = (service.CpuSeconds() - cpu) * 1000 / (rate * plan.Burst.TotalSeconds);
                await stop.CancelAsync();
                scrapes += await scraping;
                (telemetry ? onRates : offRates).Add(rate);
                if (telemetry)
                {
                    onCpu += perWrite / plan.Rounds;
                }
                else
                {
                    offCpu += perWrite / plan.Rounds;
                }
            }
        }

        var (offFigure, onFigure) = (Figure.Of(offRates, "writes/s"), Figure.Of(onRates, "writes/s"));
        Progress.Say($"  off {offFigure}, {offCpu:0.00} ms service CPU per write; on {onFigure}, {onCpu:0.00} ms; {scrapes} scrapes, {sink.Exports} OTLP exports");
        results.Measures.Add(new("T1", "P1 write rate with telemetry on ÷ off", onFigure.Median / offFigure.Median, "≥ 0.95",
            $"on {onFigure}, {onCpu:0.00} ms of service CPU per write ({scrapes} scrapes of /metrics, one a second; {sink.Exports} OTLP/HTTP " +
            $"exports of traces and metrics to a local sink) vs off {offFigure}, {offCpu:0.00} ms (Telemetry:Enabled=false); two service " +
            "processes on the main store, rounds alternating which goes first"));
        return offLoad.Errors + onLoad.Errors;
    }

    /// <summary>Waits (at most 20 s) until both services use under a tenth of a core, as idle services do.</summary>
    private static async Task Settle(ServiceProcess a, ServiceProcess b)
    {
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        while (Stopwatch.GetTimestamp() < until)
        {
            var before = a.CpuSeconds() + b.CpuSeconds();
            await Task.Delay(500);
            if (a.CpuSeconds() + b.CpuSeconds() - before < 0.05)
            {
                return;
            }
        }
    }

    /// <summary>A Prometheus that scrapes every second; the number of scrapes answered 200.</summary>
    private static async Task<int> Scrape(Uri service, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = service };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.AdminKey);
        var answered = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await http.GetAsync("/metrics", stop);
                _ = await response.Content.ReadAsByteArrayAsync(stop);
                answered += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
        catch (OperationCanceledException)
        {
        }

        return answered;
    }

    /// <summary>An OTLP/HTTP endpoint that takes every export and answers 200 with an empty (valid) protobuf response.</summary>
    private sealed class OtlpSink : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _exports;

        public OtlpSink()
        {
            var port = 4400 + Environment.ProcessId % 500;
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add($"{Address}/");
            _listener.Start();
            _ = Task.Run(Serve);
        }

        public string Address { get; }

        public int Exports => Volatile.Read(ref _exports);

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    await context.Request.InputStream.CopyToAsync(Stream.Null);
                    Interlocked.Increment(ref _exports);
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = "application/x-protobuf";
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        }

        public void Dispose() => _listener.Close();
    }
}
