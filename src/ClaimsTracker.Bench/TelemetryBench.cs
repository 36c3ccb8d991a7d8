using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace ClaimsTracker.Bench;

/// <summary>
/// T1: the P1 load on three services side by side, telemetry off, on, and on with every trace kept, each on a store of
/// its own, in short bursts one after another: a slow second of the machine then falls on the bursts it is compared with.
/// </summary>
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
        var rounds = plan.TelemetryRounds;
        var burst = plan.Burst * 2 / 3;
        Progress.Say($"T1: telemetry off, on (a tenth of traces kept) and on (every trace), a service and a store each, {plan.Clients} clients writing statements, " +
                     $"{rounds} rounds × 3 × {burst.TotalSeconds:0.#} s, in the order off-on-every then every-on-off");

        var running = new List<(string Name, ServiceProcess Service, HttpLoad Load, Guid[] Writers)>();
        var rates = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        var cpu = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        var (scrapes, errors) = (0, 0);
        try
        {
            for (var i = 0; i < configurations.Length; i++)
            {
                var (name, env) = configurations[i];
                var store = await BulkStore.Create(connectionString, $"claims_t1_{i}");
                await ServiceProcess.SetupSchema(serviceDll, store);
                var service = await ServiceProcess.Start(serviceDll, store, plan.Port + 3 + i, schemaReady: true, env);
                var load = new HttpLoad(service.Address);
                running.Add((name, service, load, await Task.WhenAll(Enumerable.Range(2_000, plan.Clients).Select(load.Register))));
                // past the JIT's tiers and the first registrations' projections before anything is measured
                await load.Saturate(running[^1].Writers, TimeSpan.FromSeconds(3));
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, service, load, writers) in round % 2 == 0 ? running : Enumerable.Reverse(running))
                {
                    await Settle(running.Select(r => r.Service).ToList());
                    using var stop = new CancellationTokenSource();
                    var scraping = name != "off" ? Scrape(service.Address, stop.Token) : Task.FromResult(0);
                    var before = service.CpuSeconds();
                    var rate = await load.Saturate(writers, burst);
                    cpu[name].Add((service.CpuSeconds() - before) * 1000 / (rate * burst.TotalSeconds));
                    await stop.CancelAsync();
                    scrapes += await scraping;
                    rates[name].Add(rate);
                }
            }
        }
        finally
        {
            foreach (var (_, service, load, _) in running)
            {
                errors += load.Errors;
                load.Dispose();
                await service.DisposeAsync();
            }
        }

        var figures = rates.ToDictionary(r => r.Key, r => Figure.Of(r.Value, "writes/s"));
        // a pair of rounds runs off first, then last, so a burst's place in the round weighs the same on both sides
        Figure Against(string name) => Figure.Of(
            rates[name].Chunk(2).Zip(rates["off"].Chunk(2), (a, b) => a.Sum() / b.Sum()).ToList(), "× off");
        string Detail(string name) => $"{figures[name]}, {cpu[name].Average():0.00} ms of service CPU per write";
        string Ratios(string name) => string.Join(", ", rates[name].Zip(rates["off"], (a, b) => (a / b).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
        Progress.Say($"  off {Detail("off")}; on {Detail("on")}; every trace {Detail("every trace")}; {scrapes} scrapes, {sink.Exports} OTLP exports");
        Progress.Say($"  on ÷ off by round: {Ratios("on")}; every trace ÷ off: {Ratios("every trace")}");
        var how = $"the median over pairs of rounds (off-on-every, every-on-off) of on ÷ off, from bursts seconds apart; by round: {Ratios("on")}; /metrics scraped once a second ({scrapes} scrapes in all), " +
                  $"traces and metrics pushed over OTLP/HTTP to a local sink ({sink.Exports} exports); three services side by side, each on a store of its own, " +
                  $"one writing at a time, all idle before each burst";
        results.Measures.Add(new("T1", "P1 write rate with telemetry on ÷ off", Against("on").Median, "≥ 0.95",
            $"on, a tenth of request traces kept (OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG={OperatorShare}), " +
            $"every metric: {Detail("on")} vs off (Telemetry:Enabled=false): {Detail("off")}; {how}"));
        results.Measures.Add(new("T1", "P1 write rate with every trace kept ÷ off", Against("every trace").Median, "(report)",
            $"{Detail("every trace")} vs off {Detail("off")}; by round: {Ratios("every trace")}"));
        return errors;
    }

    // every service and PostgreSQL quiet, so a burst never shares the machine with another's projections or vacuum
    private static async Task Settle(IReadOnlyList<ServiceProcess> services)
    {
        double Busy() => services.Sum(s => s.CpuSeconds()) + CpuTime.OfPostgres();
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        while (Stopwatch.GetTimestamp() < until)
        {
            var before = Busy();
            await Task.Delay(500);
            if (Busy() - before < 0.05)
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
