using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ClaimsTracker.Bench;
using Npgsql;

// ops/bench runs this against a private PostgreSQL it provisions, with the service in its own process.
var quick = args.Contains("--quick");
string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()
    ?? throw new ArgumentException($"missing {name}");
if (args.SkipWhile(a => a != "--against").Skip(1).FirstOrDefault() is { } against)
{
    // ops/cluster-bench: the P1 load against a running deployment (one node, or nodes behind a balancer)
    return await Against.Run(new Uri(against), Arg("--key"), int.Parse(Arg("--clients")), TimeSpan.FromSeconds(int.Parse(Arg("--seconds"))));
}

var connectionString = Arg("--conn");
var serviceDll = Arg("--service");
var output = Arg("--out");
var before = PreviousRun.WriteRatio(args.SkipWhile(a => a != "--previous").Skip(1).FirstOrDefault());
var plan = quick ? Plan.Quick : Plan.Full;
var results = new Results(quick ? "quick" : "full", DateTimeOffset.UtcNow);
var budget = Stopwatch.StartNew();
var codegen = (args.Contains("--pregenerated") ? "pre-generated code (TypeLoadMode.Static)" : "runtime code generation (TypeLoadMode.Dynamic)")
    + (args.Contains("--ready-to-run") ? ", published with ReadyToRun" : "");
byte[] export = [];
var errors = 0;

// CLAIMS_BENCH_PORT: runs from two checkouts at once must not answer each other's requests
var servicePort = int.TryParse(Environment.GetEnvironmentVariable("CLAIMS_BENCH_PORT"), out var chosen) ? chosen : plan.Port;
plan = plan with { Port = servicePort };
if (args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() is "T1")
{
    // ops/bench --only T1: the telemetry measure alone, to iterate on its cost without the seven-minute run
    await ServiceProcess.SetupSchema(serviceDll, connectionString);
    errors += await TelemetryBench.Run(results, plan, connectionString, serviceDll);
    results.Errors = errors;
    results.Seconds = budget.Elapsed.TotalSeconds;
    Directory.CreateDirectory(output);
    await File.WriteAllTextAsync(Path.Combine(output, "T1.md"), results.Markdown());
    Console.WriteLine(results.Markdown());
    return 0;
}

var raw = new RawBaseline(connectionString);
await raw.Prepare();
results.Machine["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
results.Machine["memory"] = File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim();
foreach (var (name, value) in await raw.Settings())
{
    results.Machine[$"postgresql {name}"] = value;
}

Progress.Say($"raw baseline: single-row INSERT + commit over {plan.Clients} connections, {plan.Rounds} × {plan.Burst.TotalSeconds} s");
var rawMachine = CpuTime.OfMachine();
var insertRounds = await Rounds(plan.Rounds, () => raw.InsertCommitRate(plan.Clients, plan.Burst));
// machine CPU (every process, the client's too) per row: the cost a write of the service is compared against
var rawCpuPerRow = (CpuTime.OfMachine() - rawMachine) * 1000 / (insertRounds.Sum() * plan.Burst.TotalSeconds);
var insertRate = Figure.Of(insertRounds, "rows/s");
Progress.Say($"  {insertRate}, {rawCpuPerRow:0.000} ms of machine CPU per row");
Progress.Say($"raw baseline: binary COPY of {plan.CopyRows:N0} jsonb rows, {plan.Rounds} rounds");
var copyRate = Figure.Of(await Rounds(plan.Rounds, () => raw.CopyRate(plan.CopyRows)), "rows/s");
Progress.Say($"  {copyRate}");
results.Baselines["insert+commit"] = insertRate;
results.Baselines["binary COPY"] = copyRate;

if (args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() is { } only)
{
    await Focused.Run(only, results, plan, connectionString, serviceDll, servicePort, copyRate);
    Console.WriteLine();
    Console.WriteLine(results.Markdown());
    return 0;
}

// before the service starts: the peer runs alone on the machine, as the raw baselines do
var marten = new PlainMarten(connectionString);
await marten.Prepare();
Progress.Say($"plain Marten: {plan.Clients} writers on {plan.Clients} streams, one session per append (Quick mode, no projections), {plan.Rounds} × {plan.Burst.TotalSeconds} s");
var (plainProcess, plainMachine) = (CpuTime.OfProcess(Environment.ProcessId), CpuTime.OfMachine());
var plainRounds = await Rounds(plan.Rounds, () => marten.Spread(plan.Clients, plan.Burst));
var plainAppends = plainRounds.Sum() * plan.Burst.TotalSeconds;
(plainProcess, plainMachine) = ((CpuTime.OfProcess(Environment.ProcessId) - plainProcess) * 1000 / plainAppends,
    (CpuTime.OfMachine() - plainMachine) * 1000 / plainAppends);
var plainRate = Figure.Of(plainRounds, "appends/s");
Progress.Say($"  {plainRate}; per append {plainProcess:0.00} ms of this process's CPU, {plainMachine:0.00} ms of the machine's");
Progress.Say($"plain Marten: {plan.Clients} writers on one stream, AppendOptimistic (version checked at commit), {plan.Rounds} × {plan.Burst.TotalSeconds / 2} s");
var hotRounds = new List<PlainMarten.Contended>();
var hotRate = Figure.Of(await Rounds(plan.Rounds, async () =>
{
    hotRounds.Add(await marten.Hot(plan.Clients, plan.Burst / 2));
    return hotRounds[^1].Rate;
}), "appends/s");
var (hotAppended, hotRefused) = (hotRounds.Sum(r => r.Appended), hotRounds.Sum(r => r.Refused));
var hotRaces = hotRounds.Count(r => r.Version != r.Appended + 1);
Progress.Say($"  {hotRate}; {hotRefused:N0} of {hotAppended + hotRefused:N0} attempts refused by the version check; {hotRaces} rounds where the version disagrees");
Progress.Say($"plain Marten: one writer on a fresh stream and on one of {plan.LongStream:N0} events, {plan.SingleWriter.TotalSeconds} s each in alternating halves");
var plainSingle = await SingleWriter(plan.SingleWriter, () => marten.Claim(), () => marten.Claim(plan.LongStream - 1),
    marten.SingleWriter);
Progress.Say($"  p50 fresh {plainSingle.Fresh.P(0.5):0.00} ms, long {plainSingle.Long.P(0.5):0.00} ms");
await marten.DisposeAsync();
results.Baselines["plain Marten, 16 streams"] = plainRate;
results.Baselines["plain Marten, one hot stream"] = hotRate;

await using (var service = await ServiceProcess.Start(serviceDll, connectionString, servicePort))
{
    Progress.Say($"service answered {service.Startup.TotalMilliseconds:N0} ms after start (schema applied before by resources setup in {service.SchemaSetup.TotalMilliseconds:N0} ms)");
    await Task.Delay(TimeSpan.FromSeconds(3));
    var idle = service.ResidentMiB();
    using var load = new HttpLoad(service.Address);

    Progress.Say($"HTTP ceiling: GET /health/live (no database) from {plan.Clients} clients, {plan.Rounds} × {plan.Burst.TotalSeconds / 4} s");
    var noOpCpu = 0.0;
    var noOp = Figure.Of(await Rounds(plan.Rounds, async () =>
    {
        var (machine, clock) = (CpuTime.OfMachine(), Stopwatch.StartNew());
        var answered = await load.Reads("/health/live", int.MaxValue, plan.Clients, plan.Burst / 4);
        noOpCpu = (CpuTime.OfMachine() - machine) * 1000 / answered.Count;
        return answered.Count / clock.Elapsed.TotalSeconds;
    }), "requests/s");
    Progress.Say($"  {noOp}, {noOpCpu:0.000} ms of machine CPU per request");

    var writers = await Task.WhenAll(Enumerable.Range(0, plan.Clients).Select(load.Register));
    Progress.Say($"P1: {plan.Clients} clients writing statements, {plan.Rounds} × {plan.Burst.TotalSeconds} s");
    double underLoad = 0;
    // a round of writes first, not measured: the JIT's tiering settles (it took a fifth of the service's CPU in the first seconds)
    await load.Saturate(writers, plan.Burst / 2);
    var statements = new DatabaseWork(connectionString);
    var tracking = await statements.Reset();
    var (serviceCpu, machineCpu, databaseCpu, clientCpu) = (service.CpuSeconds(), CpuTime.OfMachine(), CpuTime.OfPostgres(), CpuTime.OfProcess(Environment.ProcessId));
    var writeRounds = await Rounds(plan.Rounds, async () =>
    {
        var rate = load.Saturate(writers, plan.Burst);
        await Task.Delay(plan.Burst / 2);
        underLoad = Math.Max(underLoad, service.ResidentMiB());
        return await rate;
    });
    var written = writeRounds.Sum() * plan.Burst.TotalSeconds;
    (serviceCpu, machineCpu) = ((service.CpuSeconds() - serviceCpu) * 1000 / written, (CpuTime.OfMachine() - machineCpu) * 1000 / written);
    (databaseCpu, clientCpu) = ((CpuTime.OfPostgres() - databaseCpu) * 1000 / written, (CpuTime.OfProcess(Environment.ProcessId) - clientCpu) * 1000 / written);
    var writeRate = Figure.Of(writeRounds, "writes/s");
    results.DatabaseWork.AddRange(tracking ? await statements.Per(written) : []);
    Progress.Say($"  {writeRate}; per write {machineCpu:0.00} ms of machine CPU: {serviceCpu:0.00} ms in the service, {databaseCpu:0.00} ms in PostgreSQL, {clientCpu:0.00} ms in this client");

    var half = writeRate.Median / 2;
    Progress.Say($"P1/P3/L1: paced at {half:N0} writes/s for {plan.Paced.TotalSeconds} s, watching the async timeline projection and the log's signed head");
    var lag = new ProjectionLag(connectionString);
    var integration = new IntegrationDelay(connectionString);
    var watching = lag.Watch();
    var signing = integration.Watch();
    var latency = await load.Paced(writers, half, plan.Paced, ack =>
    {
        lag.Expect(ack);
        integration.Expect(ack);
    });
    await lag.Drain(TimeSpan.FromSeconds(15));
    await Task.WhenAll(watching, integration.Finish(signing, TimeSpan.FromSeconds(15)));
    Progress.Say($"  latency p50 {latency.P(0.5):0.0} ms, p99 {latency.P(0.99):0.0} ms; lag p50 {lag.Lags.P(0.5):0.0} ms, p99 {lag.Lags.P(0.99):0.0} ms ({lag.Lags.Count} samples, {lag.Missed} not seen)");
    Progress.Say($"  integration delay p50 {integration.Delays.P(0.5):0.0} ms, p99 {integration.Delays.P(0.99):0.0} ms ({integration.Delays.Count} events, {integration.Missed} not seen signed)");

    Progress.Say($"P5: one claim with {plan.LongStream:N0} events, its statements posted in batches of up to {BatchSize:N0}");
    var longClaim = await load.Register(-1);
    var middle = DateTimeOffset.MinValue;
    var seeding = Stopwatch.StartNew();
    // bounded: a slow write path shows as fewer events than planned (reported), not as a run that never ends
    for (var n = 1; n < plan.LongStream && seeding.Elapsed < plan.SeedBudget; n += BatchSize)
    {
        await load.StatementBatch(longClaim, n, Math.Min(BatchSize, plan.LongStream - n));
        if (middle == DateTimeOffset.MinValue && n + BatchSize > plan.LongStream / 2)
        {
            middle = DateTimeOffset.UtcNow;
        }
    }

    var longEvents = await raw.Scalar($"select count(*) from claims.mt_events where stream_id = '{longClaim}'");
    Progress.Say($"  {longEvents:N0} events written in {seeding.Elapsed.TotalSeconds:0.0} s");
    var asOf = Uri.EscapeDataString(middle.ToString("O"));
    // half the P6 bound each: P5 compares medians, which a few hundred reads settle (the run keeps within 5 minutes)
    var plain = await load.Reads($"/api/claims/{longClaim}", plan.Reads, 1, plan.ReadsLimit / 2);
    var recorded = await load.Reads($"/api/claims/{longClaim}?asOf={asOf}", plan.Reads, 1, plan.ReadsLimit / 2);
    var world = await load.Reads($"/api/claims/{longClaim}?worldAt=2024-03-01T00:00:00Z", plan.Reads, 1, plan.ReadsLimit / 2);
    Progress.Say($"  plain p50 {plain.P(0.5):0.00} ms, asOf p50 {recorded.P(0.5):0.00} ms, worldAt p50 {world.P(0.5):0.00} ms");

    // exported before the batches below: the import (P2) replays what single writes and P5 left, at a size that fits the run
    Progress.Say("P2: exporting the log for the import (GET /api/audit/events.ndjson)");
    export = await load.Export();

    Progress.Say($"P8: one writer on a fresh claim and on the {longEvents:N0}-event claim, {plan.SingleWriter.TotalSeconds} s each in alternating halves");
    var single = await SingleWriter(plan.SingleWriter, () => load.Register(-100), () => Task.FromResult(longClaim), load.OneAtATime);
    Progress.Say($"  p50 fresh {single.Fresh.P(0.5):0.00} ms ({single.Fresh.Count:N0} writes), long {single.Long.P(0.5):0.00} ms ({single.Long.Count:N0} writes)");

    Progress.Say($"P9: {plan.Clients} clients writing statements to one claim, {plan.Rounds} × {plan.Burst.TotalSeconds / 2} s");
    var hotClaim = await load.Register(-101);
    var refusedBefore = load.Errors;
    var hotWrites = Figure.Of(await Rounds(plan.Rounds, () => load.Saturate(Enumerable.Repeat(hotClaim, plan.Clients).ToArray(), plan.Burst / 2)), "writes/s");
    var hotServiceRefused = load.Errors - refusedBefore;
    Progress.Say($"  {hotWrites}; {hotServiceRefused} refused");

    Progress.Say($"P2: {BatchClients} clients posting batches of {BatchSize:N0} statements, each to a claim of its own, {plan.Rounds} × {plan.Burst.TotalSeconds / 2} s");
    var batchRate = Figure.Of(await Rounds(plan.Rounds, async () =>
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, BatchClients).Select(c => load.Register(-2 - c)));
        var clock = Stopwatch.StartNew();
        var posted = await Task.WhenAll(claims.Select(async (claim, c) =>
        {
            var events = 0;
            for (var n = c * 1_000_000; clock.Elapsed < plan.Burst / 2; n += BatchSize)
            {
                events += await load.StatementBatch(claim, n, BatchSize) is null ? 0 : BatchSize;
            }

            return events;
        }));
        return posted.Sum() / clock.Elapsed.TotalSeconds;
    }), "events/s");
    Progress.Say($"  {batchRate}");

    results.Measures.Add(new("P1", "HTTP statement writes/s, 16 clients ÷ plain Marten appends/s, 16 writers on 16 streams", writeRate.Median / plainRate.Median, "≥ 1.0",
        $"{writeRate} vs {plainRate} (one session per append, Quick mode, no projections, schema {PlainMarten.Schema})",
        $"plain Marten {plainRate.Median:N0} appends/s"));
    results.Measures.Add(new("P1", "HTTP statement writes/s, 16 clients ÷ raw INSERT+commit/s, 16 connections", writeRate.Median / insertRate.Median, "(report)",
        $"{writeRate} vs {insertRate}; plain Marten ÷ raw {plainRate.Median / insertRate.Median:0.00}; before: {before ?? "no previous BENCHMARKS.md"}",
        $"insert+commit {insertRate.Median:N0} rows/s"));
    results.Measures.Add(new("P1", "service CPU per acknowledged write (ms)", serviceCpu, "≤ 1",
        $"the service process's user + system time (/proc/<pid>/stat) over the {written:N0} writes of P1; plain Marten's process {plainProcess:0.00} ms per append " +
        $"(Marten and Npgsql in the bench process), the machine's {plainMachine:0.00} ms", $"plain Marten {plainProcess:0.00} ms"));
    results.Measures.Add(new("P1", "machine CPU per acknowledged write ÷ per raw INSERT+commit row", machineCpu / rawCpuPerRow, "(why)",
        $"a write {machineCpu:0.00} ms ({serviceCpu:0.00} ms in the service process, {databaseCpu:0.00} ms in PostgreSQL's processes, {clientCpu:0.00} ms in the load client); raw insert+commit " +
        $"{rawCpuPerRow:0.000} ms; a no-op GET /health/live {noOpCpu:0.000} ms at {noOp}. At plain Marten's rate a write could use " +
        $"{Environment.ProcessorCount * 1000 / plainRate.Median:0.00} ms of the machine's {Environment.ProcessorCount} cores"));
    results.Measures.Add(new("P1", "p99 latency at half the write rate (ms)", latency.P(0.99), "≤ 50",
        $"p50 {latency.P(0.5):0.0} ms, p99 {latency.P(0.99):0.0} ms at {half:N0} writes/s, {latency.Count:N0} writes"));
    results.Measures.Add(new("P3", "projection lag p99, commit → async timeline updated (ms)", lag.Lags.P(0.99), "≤ 1000",
        $"p50 {lag.Lags.P(0.5):0.0} ms, p99 {lag.Lags.P(0.99):0.0} ms, {lag.Lags.Count} samples (polled every {ProjectionLag.PollMs} ms), {lag.Missed} not seen in 15 s"));
    results.Measures.Add(new("L1", "integration delay p99, write acknowledged → in a signed checkpoint (ms)", integration.Delays.P(0.99), "≤ 1000",
        $"p50 {integration.Delays.P(0.5):0.0} ms, p99 {integration.Delays.P(0.99):0.0} ms, max {integration.Delays.P(1):0.0} ms over the {integration.Delays.Count:N0} events of " +
        $"the paced writes at {half:N0} writes/s (the checkpoint's signed_at minus the client's answer; {integration.SignedBeforeAnswer:N0} signed before the answer " +
        $"arrived, counted 0); as the head polled every {IntegrationDelay.PollMs} ms first showed it: p50 {integration.Observed.P(0.5):0.0} ms, " +
        $"p99 {integration.Observed.P(0.99):0.0} ms; {integration.Missed} not signed within 15 s"));
    results.Measures.Add(new("P5", $"asOf p50 on a {longEvents:N0}-event claim ÷ plain GET p50", recorded.P(0.5) / plain.P(0.5), "≤ 3",
        $"asOf {recorded.P(0.5):0.00} ms, worldAt {world.P(0.5):0.00} ms ({world.P(0.5) / plain.P(0.5):0.00}×), plain {plain.P(0.5):0.00} ms"));
    results.Measures.Add(new("P8", $"single writer p50 on a claim of {longEvents:N0} events ÷ on a fresh claim", single.Long.P(0.5) / single.Fresh.P(0.5), "≤ 1.3",
        $"long p50 {single.Long.P(0.5):0.00} ms (p99 {single.Long.P(0.99):0.0}, {single.Long.Count:N0} writes), fresh p50 {single.Fresh.P(0.5):0.00} ms " +
        $"(p99 {single.Fresh.P(0.99):0.0}, {single.Fresh.Count:N0} writes); one client, one statement at a time; plain Marten on a stream of " +
        $"{plan.LongStream:N0} events ÷ a fresh one: {plainSingle.Long.P(0.5) / plainSingle.Fresh.P(0.5):0.00} ({plainSingle.Long.P(0.5):0.00} vs {plainSingle.Fresh.P(0.5):0.00} ms)"));
    results.Measures.Add(new("P9", "16 writers on one claim: writes/s ÷ plain Marten's successful appends/s on one hot stream", hotWrites.Median / hotRate.Median,
        "≥ 1.0, none refused",
        $"{hotWrites}, {hotServiceRefused:N0} refused vs plain Marten {hotRate}, {hotRefused:N0} of {hotAppended + hotRefused:N0} attempts refused by its version check " +
        $"(AppendOptimistic, one session per attempt{(hotRaces > 0 ? $"; in {hotRaces} rounds the stream's version disagreed with the appends counted" : "")})",
        $"plain Marten {hotRate.Median:N0} appends/s", Reached: hotWrites.Median >= hotRate.Median && hotServiceRefused == 0));
    results.Measures.Add(new("P2", "statement batches events/s ÷ raw COPY rows/s", batchRate.Median / copyRate.Median, "≥ 0.4",
        $"{batchRate} vs {copyRate}; {BatchClients} clients, POST /api/claims/{{id}}/statements/batch of {BatchSize:N0}, one transaction each, with inline projections",
        $"COPY {copyRate.Median:N0} rows/s"));
    results.Measures.Add(new("P7", "service start to first answered request (s)", service.Startup.TotalSeconds, "≤ 1",
        $"dotnet ClaimsTracker.dll, {codegen}; first GET /api/claims (a Wolverine endpoint, on the database); schema applied before by `resources setup` ({service.SchemaSetup.TotalSeconds:0.0} s, not counted), Database:ApplySchemaOnStart=false"));
    results.Measures.Add(new("P7", "resident memory idle (MiB)", idle, "≤ 150", $"under write load {underLoad:N0} MiB"));
    errors += load.Errors;
}

errors += await TelemetryBench.Run(results, plan, connectionString, serviceDll);
await ReadsBench.Run(results, plan, connectionString, serviceDll, export, copyRate, budget, () => errors++);
results.Errors = errors;
results.Seconds = budget.Elapsed.TotalSeconds;

Directory.CreateDirectory(output);
await File.WriteAllTextAsync(Path.Combine(output, "results.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions
{
    WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
}));
await File.WriteAllTextAsync(Path.Combine(output, "BENCHMARKS.md"), results.Markdown());
Console.WriteLine();
Console.WriteLine(results.Markdown());
Progress.Say($"done in {budget.Elapsed.TotalSeconds:0} s");
return 0;

// one writer, one write at a time, on a fresh stream and a long one in alternating halves, so drift on a shared machine falls on both
static async Task<(Latencies Fresh, Latencies Long)> SingleWriter(
    TimeSpan duration, Func<Task<Guid>> fresh, Func<Task<Guid>> longer, Func<Guid, TimeSpan, Task<Latencies>> write)
{
    var (freshStream, longStream) = (await fresh(), await longer());
    var (freshLatencies, longLatencies) = (new Latencies(), new Latencies());
    for (var half = 0; half < 2; half++)
    {
        freshLatencies.AddAll(await write(freshStream, duration / 2));
        longLatencies.AddAll(await write(longStream, duration / 2));
    }

    return (freshLatencies, longLatencies);
}

static async Task<List<double>> Rounds(int rounds, Func<Task<double>> round)
{
    var figures = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        figures.Add(await round());
    }

    return figures;
}

/// <summary>How long after a write's acknowledgement the async timeline projection shows it.</summary>
internal sealed class ProjectionLag(string connectionString)
{
    public const int PollMs = 5;

    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<Acknowledged>> _pending = new();
    private volatile bool _draining;
    private DateTime _drainUntil = DateTime.MaxValue;

    public Latencies Lags { get; } = new();

    public int Missed { get; private set; }

    public void Expect(Acknowledged ack) => _pending.GetOrAdd(ack.ClaimId, _ => new()).Enqueue(ack);

    public Task Drain(TimeSpan limit)
    {
        _drainUntil = DateTime.UtcNow + limit;
        _draining = true;
        return Task.CompletedTask;
    }

    public async Task Watch()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select id, (data ->> 'version')::bigint from claims.mt_doc_claimtimeline where id = any($1)", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = Array.Empty<Guid>() });
        while (true)
        {
            var ids = _pending.Where(p => !p.Value.IsEmpty).Select(p => p.Key).ToArray();
            if (ids.Length == 0 && _draining)
            {
                return;
            }

            if (_draining && DateTime.UtcNow > _drainUntil)
            {
                Missed = _pending.Values.Sum(q => q.Count);
                return;
            }

            query.Parameters[0].Value = ids;
            await using (var reader = await query.ExecuteReaderAsync())
            {
                var seen = Stopwatch.GetTimestamp();
                while (await reader.ReadAsync())
                {
                    var (id, version) = (reader.GetGuid(0), reader.GetInt64(1));
                    var queue = _pending[id];
                    while (queue.TryPeek(out var ack) && ack.Version <= version && queue.TryDequeue(out _))
                    {
                        Lags.Add(Stopwatch.GetElapsedTime(ack.AckTicks, seen).TotalMilliseconds);
                    }
                }
            }

            await Task.Delay(PollMs);
        }
    }
}

/// <param name="Claims">claims of the bulk store (P4, P6), each with <paramref name="EventsPerClaim"/> events</param>
/// <param name="RebuildBudget">the longest the rebuild may take before it is stopped and reported as unfinished</param>
/// <param name="Total">the run's own bound (ops/bench kills it a little later): the rebuild never runs past it</param>
/// <param name="ReadsLimit">P6: each endpoint is read <paramref name="Reads"/> times or for this long, whichever ends first</param>
/// <param name="CatchUpLimit">L2: the longest the sequencer's catch-up over the bulk store is watched, from the service's start</param>
/// <param name="SingleWriter">P8: how long one writer writes, one request at a time, to each of the fresh and the long claim</param>
internal sealed record Plan(
    int Rounds, int Clients, TimeSpan Burst, TimeSpan Paced, int CopyRows, int LongStream, TimeSpan SeedBudget, int Claims,
    int EventsPerClaim, TimeSpan RebuildBudget, int Reads, int Port, TimeSpan Total, TimeSpan ReadsLimit, TimeSpan CatchUpLimit,
    TimeSpan SingleWriter)
{
    public static readonly Plan Quick = new(2, 16, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), 50_000, 300, TimeSpan.FromSeconds(10),
        500, 20, TimeSpan.FromSeconds(12), 200, 5590, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(1));
    // the bound leaves the rebuild (P4), which runs last, the time a million events take it here (docs/perf-notes-p2-p4.md)
    public static readonly Plan Full = new(3, 16, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10), 200_000, 10_000, TimeSpan.FromSeconds(90),
        10_000, 100, TimeSpan.FromSeconds(120), 1_000, 5590, TimeSpan.FromSeconds(410), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(6));
}

/// <param name="Baseline">the raw figure of the same run that <paramref name="Value"/> is held to, when it has one</param>
/// <param name="Reached">whether the goal is met, for a goal that is more than a bound on <paramref name="Value"/></param>
internal sealed partial record Measure(string Id, string What, double Value, string Goal, string Detail, string Baseline = "", bool? Reached = null)
{
    /// <summary>The goal met or not, from <see cref="Reached"/> or the goal's bound ("≥ 1.0", "≤ 50,000"); null when it has none.</summary>
    public bool? Met => Reached ?? (Bound().Match(Goal) is { Success: true } bound
        ? double.Parse(bound.Groups[2].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) is var limit
          && (bound.Groups[1].Value == "≥" ? Value >= limit : Value <= limit)
        : null);

    [System.Text.RegularExpressions.GeneratedRegex(@"^(≥|≤) ([\d,.]+)$")]
    private static partial System.Text.RegularExpressions.Regex Bound();
}

internal sealed class Results(string mode, DateTimeOffset at)
{
    public string Mode { get; } = mode;
    public DateTimeOffset At { get; } = at;
    public Dictionary<string, string> Machine { get; } = new();
    public Dictionary<string, Figure> Baselines { get; } = new();
    public List<Measure> Measures { get; } = [];
    /// <summary>P1's statements by PostgreSQL's time, per acknowledged write.</summary>
    public List<StatementWork> DatabaseWork { get; } = [];
    public int Errors { get; set; }
    public double Seconds { get; set; }

    public string Markdown()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine($"`ops/bench{(Mode == "quick" ? " --quick" : "")}` on {At:yyyy-MM-dd HH:mm} UTC, {Seconds:0} s. The service ran in its own process, driven over HTTP on");
        text.AppendLine("127.0.0.1; the raw baselines ran in the benchmark process against the same database in the same run. Figures are medians of");
        text.AppendLine("repeated rounds (spread in brackets) or percentiles of one run.").AppendLine();
        text.AppendLine("| machine | |").AppendLine("|---|---|");
        foreach (var (name, value) in Machine)
        {
            text.AppendLine($"| {name} | {value} |");
        }

        text.AppendLine().AppendLine("| baseline | figure |").AppendLine("|---|---|");
        foreach (var (name, figure) in Baselines)
        {
            text.AppendLine($"| {name} | {figure} |");
        }

        text.AppendLine().AppendLine("| | measure | result | goal | met | baseline (same run) | detail |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var m in Measures)
        {
            var met = m.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine($"| {m.Id} | {m.What} | {Figure.Format(m.Value)} | {m.Goal} | {met} | {m.Baseline} | {m.Detail} |");
        }

        text.AppendLine().AppendLine($"Goals met: {Measures.Count(m => m.Met == true)} of {Measures.Count(m => m.Met is not null)}. " +
            $"Requests answered with an error during the run: {Errors}.");
        if (DatabaseWork.Count > 0)
        {
            text.AppendLine().AppendLine("P1's top statements by PostgreSQL's time (pg_stat_statements, every statement the service ran during P1, per acknowledged write):")
                .AppendLine().AppendLine("| statement | calls per write | ms per write |").AppendLine("|---|---|---|");
            foreach (var w in DatabaseWork)
            {
                text.AppendLine($"| `{w.Statement.Replace("|", "\\|")}` | {w.CallsPerWrite:0.00} | {w.MillisecondsPerWrite:0.000} |");
            }
        }

        return text.ToString();
    }
}

internal static partial class Program
{
    /// <summary>Statements per POST /statements/batch (its most), and the clients posting batches side by side.</summary>
    private const int BatchSize = 1_000;
    private const int BatchClients = 4;
}
