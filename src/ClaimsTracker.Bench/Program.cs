using System.Diagnostics;
using System.Text.Json;
using ClaimsTracker.Bench;

// ops/bench runs this against a private PostgreSQL it provisions, with the service in its own process.
var options = new BenchArgs(args);
if (options.Against is { } against)
{
    return await Against.Run(new Uri(against), options.Required("--key"), int.Parse(options.Required("--clients")),
        TimeSpan.FromSeconds(int.Parse(options.Required("--seconds"))));
}

var connectionString = options.Required("--conn");
var serviceDll = options.Required("--service");
var output = options.Required("--out");
var previous = options.Optional("--previous");
var before = PreviousRun.WriteRatio(previous);
var plan = options.Quick ? Plan.Quick : Plan.Full;
var results = new Results(options.Quick ? "quick" : "full", DateTimeOffset.UtcNow);
var budget = Stopwatch.StartNew();
var errors = 0;

// CLAIMS_BENCH_PORT: runs from two checkouts at once must not answer each other's requests
var servicePort = int.TryParse(Environment.GetEnvironmentVariable("CLAIMS_BENCH_PORT"), out var chosen) ? chosen : plan.Port;
plan = plan with { Port = servicePort };
if (options.Only is "T1")
{
    // ops/bench --only T1: the telemetry measure alone, to iterate on its cost without the seven-minute run
    await ServiceProcess.SetupSchema(serviceDll, connectionString);
    errors += await TelemetryBench.Run(results, plan, connectionString, serviceDll);
    results.Errors = errors;
    results.Seconds = budget.Elapsed.TotalSeconds;
    Directory.CreateDirectory(output);
    await File.WriteAllTextAsync(Path.Combine(output, "T1.md"), BenchmarksReport.Details(results));
    Console.WriteLine(BenchmarksReport.Details(results));
    return 0;
}

var database = new RawBaseline(connectionString);
await database.Prepare();
results.Machine["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
results.Machine["memory"] = File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim();
foreach (var (name, value) in await database.Settings())
{
    results.Machine[$"postgresql {name}"] = value;
}

var raw = await RawFigures.Measure(database, plan, results);
if (options.Only is { } only)
{
    await Focused.Run(only, results, plan, connectionString, serviceDll, servicePort, raw.Copy);
    Console.WriteLine();
    Console.WriteLine(BenchmarksReport.Details(results));
    return 0;
}

var peer = await PeerFigures.Measure(connectionString, plan, results);
var (writeErrors, export) = await WriteBench.Run(results, plan, connectionString, serviceDll, database, raw, peer, options.Codegen, before);
errors += writeErrors;
errors += await TelemetryBench.Run(results, plan, connectionString, serviceDll);
await ReadsBench.Run(results, plan, connectionString, serviceDll, export, raw.Copy, budget, () => errors++);
results.Errors = errors;
results.Seconds = budget.Elapsed.TotalSeconds;

Directory.CreateDirectory(output);
await File.WriteAllTextAsync(Path.Combine(output, "results.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions
{
    WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
}));
await File.WriteAllTextAsync(Path.Combine(output, "details.md"), BenchmarksReport.Details(results));
await File.WriteAllTextAsync(Path.Combine(output, "BENCHMARKS.md"), BenchmarksReport.Table(results, PreviousRun.Limits(previous)));
Console.WriteLine();
Console.WriteLine(BenchmarksReport.Details(results));
Progress.Say($"done in {budget.Elapsed.TotalSeconds:0} s");
return 0;
