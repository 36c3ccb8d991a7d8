using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace ClaimsTracker.Bench;

/// <summary>T1: the P1 load with telemetry off and on, a fresh process each round so each pays only for its own writes.</summary>
internal static class TelemetryBench
{
    /// <summary>The share of request traces an operator keeps on a busy service (OTEL_TRACES_SAMPLER_ARG).</summary>
    private const string OperatorShare = "0.1";

    public static async Task<int> Run(Results results, Plan plan, string connectionString, string serviceDll)
    {
        using var sink = new OtlpSink();
        Dictionary<string, string> On(string share) => new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Address, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000", ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio", ["OTEL_TRACES_SAMPLER_ARG"] = share,
        };
        (string Name, Dictionary<string, string> Env)[] configurations =
        [
            ("off", new() { ["Telemetry__Enabled"] = "false" }),
            ("on", On(OperatorShare)),
            ("every trace", On("1")),
        ];
        var rounds = Math.Max(2, plan.Rounds);
        Progress.Say($"T1: telemetry off, on (a tenth of traces kept) and on (every trace), {plan.Clients} clients writing statements, " +
                     $"{rounds} × 3 × {plan.Burst.TotalSeconds} s, a fresh process each, in rotating order");

        var rates = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        var cpu = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        var (scrapes, errors) = (0, 0);
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < configurations.Length; i++)
            {
                var (name, env) = configurations[(i + round) % configurations.Length];
                var telemetry = name != "off";
                await using var service = await ServiceProcess.Start(serviceDll, connectionString, plan.Port + 3 + i, schemaReady: true, env);
                using var load = new HttpLoad(service.Address);
                var writers = await Task.WhenAll(Enumerable.Range(2_000 + round * 100 + i * 30, plan.Clients).Select(load.Register));
                // warmed up, then from rest: the JIT's tiering and the registrations' catching up are not measured
                await load.Saturate(writers, TimeSpan.FromSeconds(3));
                await Settle(service);
                using var stop = new CancellationTokenSource();
                var scraping = telemetry ? Scrape(service.Address, stop.Token) : Task.FromResult(0);
                var before = service.CpuSeconds();
                var rate = await load.Saturate(writers, plan.Burst);
                cpu[name].Add((service.CpuSeconds() - before) * 1000 / (rate * plan.Burst.TotalSeconds));
                await stop.CancelAsync();
                scrapes += await scraping;
                rates[name].Add(rate);
                errors += load.Errors;
            }
        }

        var figures = rates.ToDictionary(r => r.Key, r => Figure.Of(r.Value, "writes/s"));
        string Detail(string name) => $"{figures[name]}, {cpu[name].Average():0.00} ms of service CPU per write";
        Progress.Say($"  off {Detail("off")}; on {Detail("on")}; every trace {Detail("every trace")}; {scrapes} scrapes, {sink.Exports} OTLP exports");
        var how = $"/metrics scraped once a second ({scrapes} scrapes in all), traces and metrics pushed over OTLP/HTTP to a local sink " +
                  $"({sink.Exports} exports); one service process at a time on the main store, a fresh one each round, in rotating order";
        results.Measures.Add(new("T1", "P1 write rate with telemetry on ÷ off", figures["on"].Median / figures["off"].Median, "≥ 0.95",
            $"on, a tenth of request traces kept (OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG={OperatorShare}), " +
            $"every metric: {Detail("on")} vs off (Telemetry:Enabled=false): {Detail("off")}; {how}"));
        results.Measures.Add(new("T1", "P1 write rate with every trace kept ÷ off", figures["every trace"].Median / figures["off"].Median, "(report)",
            $"{Detail("every trace")} vs off {Detail("off")}"));
        return errors;
    }

    private static async Task Settle(ServiceProcess service)
    {
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        while (Stopwatch.GetTimestamp() < until)
        {
            var before = service.CpuSeconds();
            await Task.Delay(500);
            if (service.CpuSeconds() - before < 0.05)
            {
                return;
            }
        }
    }

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
