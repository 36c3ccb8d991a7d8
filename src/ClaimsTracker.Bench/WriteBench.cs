using System.Diagnostics;

namespace ClaimsTracker.Bench;

internal static class WriteBench
{
    private const int BatchSize = 1_000;
    private const int BatchClients = 4;

    public static async Task<(int Errors, byte[] Export)> Run(
        Results results, Plan plan, string connectionString, string serviceDll, RawBaseline database, RawFigures raw, PeerFigures peer,
        string codegen, string? before)
    {
        await using var service = await ServiceProcess.Start(serviceDll, connectionString, plan.Port);
        Progress.Say($"service answered {service.Startup.TotalMilliseconds:N0} ms after start (schema applied before by resources setup in {service.SchemaSetup.TotalMilliseconds:N0} ms)");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idle = service.ResidentMiB();
        using var load = new HttpLoad(service.Address);

        Progress.Say($"HTTP ceiling: GET /health/live (no database) from {plan.Clients} clients, {plan.Rounds} × {plan.Burst.TotalSeconds / 4} s");
        var noOpCpu = 0.0;
        var noOp = Figure.Of(await Repeated.Rounds(plan.Rounds, async () =>
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
        // a round of writes first, not measured: the JIT's tiering settles
        await load.Saturate(writers, plan.Burst / 2);
        var statements = new DatabaseWork(connectionString);
        var tracking = await statements.Reset();
        var (serviceCpu, machineCpu, databaseCpu, clientCpu) = (service.CpuSeconds(), CpuTime.OfMachine(), CpuTime.OfPostgres(), CpuTime.OfProcess(Environment.ProcessId));
        var writeRounds = await Repeated.Rounds(plan.Rounds, async () =>
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

        var longEvents = await database.Scalar($"select count(*) from claims.mt_events where stream_id = '{longClaim}'");
        Progress.Say($"  {longEvents:N0} events written in {seeding.Elapsed.TotalSeconds:0.0} s");
        var asOf = Uri.EscapeDataString(middle.ToString("O"));
        // half the P6 bound each: P5 compares medians, which a few hundred reads settle (the run keeps within 5 minutes)
        var plain = await load.Reads($"/api/claims/{longClaim}", plan.Reads, 1, plan.ReadsLimit / 2);
        var recorded = await load.Reads($"/api/claims/{longClaim}?asOf={asOf}", plan.Reads, 1, plan.ReadsLimit / 2);
        var world = await load.Reads($"/api/claims/{longClaim}?worldAt=2024-03-01T00:00:00Z", plan.Reads, 1, plan.ReadsLimit / 2);
        Progress.Say($"  plain p50 {plain.P(0.5):0.00} ms, asOf p50 {recorded.P(0.5):0.00} ms, worldAt p50 {world.P(0.5):0.00} ms");

        // exported before the batches below: the import (P2) replays what single writes and P5 left, at a size that fits the run
        Progress.Say("P2: exporting the log for the import (GET /api/audit/events.ndjson)");
        var export = await load.Export();

        Progress.Say($"P8: one writer on a fresh claim and on the {longEvents:N0}-event claim, {plan.SingleWriter.TotalSeconds} s each in alternating halves");
        var single = await Repeated.SingleWriter(plan.SingleWriter, () => load.Register(-100), () => Task.FromResult(longClaim), load.OneAtATime);
        Progress.Say($"  p50 fresh {single.Fresh.P(0.5):0.00} ms ({single.Fresh.Count:N0} writes), long {single.Long.P(0.5):0.00} ms ({single.Long.Count:N0} writes)");

        Progress.Say($"P9: {plan.Clients} clients writing statements to one claim, {plan.Rounds} × {plan.Burst.TotalSeconds / 2} s");
        var hotClaim = await load.Register(-101);
        var refusedBefore = load.Errors;
        var hotWrites = Figure.Of(await Repeated.Rounds(plan.Rounds, () => load.Saturate(Enumerable.Repeat(hotClaim, plan.Clients).ToArray(), plan.Burst / 2)), "writes/s");
        var hotServiceRefused = load.Errors - refusedBefore;
        Progress.Say($"  {hotWrites}; {hotServiceRefused} refused");

        Progress.Say($"P2: {BatchClients} clients posting batches of {BatchSize:N0} statements, each to a claim of its own, {plan.Rounds} × {plan.Burst.TotalSeconds / 2} s");
        var batchRate = Figure.Of(await Repeated.Rounds(plan.Rounds, async () =>
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

        results.Measures.Add(new("P1", "HTTP statement writes/s, 16 clients ÷ plain Marten appends/s, 16 writers on 16 streams", writeRate.Median / peer.Spread.Median, "≥ 1.0",
            $"{writeRate} vs {peer.Spread} (one session per append, Quick mode, no projections, schema {PlainMarten.Schema})",
            $"plain Marten {peer.Spread.Median:N0} appends/s"));
        results.Measures.Add(new("P1", "HTTP statement writes/s, 16 clients ÷ raw INSERT+commit/s, 16 connections", writeRate.Median / raw.Insert.Median, "(report)",
            $"{writeRate} vs {raw.Insert}; plain Marten ÷ raw {peer.Spread.Median / raw.Insert.Median:0.00}; before: {before ?? "no previous BENCHMARKS.md"}",
            $"insert+commit {raw.Insert.Median:N0} rows/s"));
        results.Measures.Add(new("P1", "service CPU per acknowledged write (ms)", serviceCpu, "≤ 1",
            $"the service process's user + system time (/proc/<pid>/stat) over the {written:N0} writes of P1; plain Marten's process {peer.ProcessCpu:0.00} ms per append " +
            $"(Marten and Npgsql in the bench process), the machine's {peer.MachineCpu:0.00} ms", $"plain Marten {peer.ProcessCpu:0.00} ms"));
        results.Measures.Add(new("P1", "machine CPU per acknowledged write ÷ per raw INSERT+commit row", machineCpu / raw.CpuPerRow, "(why)",
            $"a write {machineCpu:0.00} ms ({serviceCpu:0.00} ms in the service process, {databaseCpu:0.00} ms in PostgreSQL's processes, {clientCpu:0.00} ms in the load client); raw insert+commit " +
            $"{raw.CpuPerRow:0.000} ms; a no-op GET /health/live {noOpCpu:0.000} ms at {noOp}. At plain Marten's rate a write could use " +
            $"{Environment.ProcessorCount * 1000 / peer.Spread.Median:0.00} ms of the machine's {Environment.ProcessorCount} cores"));
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
            $"{plan.LongStream:N0} events ÷ a fresh one: {peer.Single.Long.P(0.5) / peer.Single.Fresh.P(0.5):0.00} ({peer.Single.Long.P(0.5):0.00} vs {peer.Single.Fresh.P(0.5):0.00} ms)"));
        results.Measures.Add(new("P9", "16 writers on one claim: writes/s ÷ plain Marten's successful appends/s on one hot stream", hotWrites.Median / peer.Hot.Median,
            "≥ 1.0, none refused",
            $"{hotWrites}, {hotServiceRefused:N0} refused vs plain Marten {peer.Hot}, {peer.HotRefused:N0} of {peer.HotAppended + peer.HotRefused:N0} attempts refused by its version check " +
            $"(AppendOptimistic, one session per attempt{(peer.HotRaces > 0 ? $"; in {peer.HotRaces} rounds the stream's version disagreed with the appends counted" : "")})",
            $"plain Marten {peer.Hot.Median:N0} appends/s", Reached: hotWrites.Median >= peer.Hot.Median && hotServiceRefused == 0));
        results.Measures.Add(new("P2", "statement batches events/s ÷ raw COPY rows/s", batchRate.Median / raw.Copy.Median, "≥ 0.4",
            $"{batchRate} vs {raw.Copy}; {BatchClients} clients, POST /api/claims/{{id}}/statements/batch of {BatchSize:N0}, one transaction each, with inline projections",
            $"COPY {raw.Copy.Median:N0} rows/s"));
        results.Measures.Add(new("P7", "service start to first answered request (s)", service.Startup.TotalSeconds, "≤ 1",
            $"dotnet ClaimsTracker.dll, {codegen}; first GET /api/claims (a Wolverine endpoint, on the database); schema applied before by `resources setup` ({service.SchemaSetup.TotalSeconds:0.0} s, not counted), Database:ApplySchemaOnStart=false"));
        results.Measures.Add(new("P7", "resident memory idle (MiB)", idle, "≤ 150", $"under write load {underLoad:N0} MiB"));
        return (load.Errors, export);
    }
}
