namespace ClaimsTracker.Bench;

internal sealed record RawFigures(Figure Insert, Figure Copy, double CpuPerRow)
{
    public static async Task<RawFigures> Measure(RawBaseline raw, Plan plan, Results results)
    {
        Progress.Say($"raw baseline: single-row INSERT + commit over {plan.Clients} connections, {plan.Rounds} × {plan.Burst.TotalSeconds} s");
        var rawMachine = CpuTime.OfMachine();
        var insertRounds = await Repeated.Rounds(plan.Rounds, () => raw.InsertCommitRate(plan.Clients, plan.Burst));
        // machine CPU (every process, the client's too) per row: the cost a write of the service is compared against
        var rawCpuPerRow = (CpuTime.OfMachine() - rawMachine) * 1000 / (insertRounds.Sum() * plan.Burst.TotalSeconds);
        var insertRate = Figure.Of(insertRounds, "rows/s");
        Progress.Say($"  {insertRate}, {rawCpuPerRow:0.000} ms of machine CPU per row");
        Progress.Say($"raw baseline: binary COPY of {plan.CopyRows:N0} jsonb rows, {plan.Rounds} rounds");
        var copyRate = Figure.Of(await Repeated.Rounds(plan.Rounds, () => raw.CopyRate(plan.CopyRows)), "rows/s");
        Progress.Say($"  {copyRate}");
        results.Baselines["insert+commit"] = insertRate;
        results.Baselines["binary COPY"] = copyRate;
        return new(insertRate, copyRate, rawCpuPerRow);
    }
}

internal sealed record PeerFigures(
    Figure Spread, double ProcessCpu, double MachineCpu, Figure Hot, int HotAppended, int HotRefused, int HotRaces,
    (Latencies Fresh, Latencies Long) Single)
{
    // before the service starts: the peer runs alone on the machine, as the raw baselines do
    public static async Task<PeerFigures> Measure(string connectionString, Plan plan, Results results)
    {
        var marten = new PlainMarten(connectionString);
        await marten.Prepare();
        Progress.Say($"plain Marten: {plan.Clients} writers on {plan.Clients} streams, one session per append (Quick mode, no projections), {plan.Rounds} × {plan.Burst.TotalSeconds} s");
        var (plainProcess, plainMachine) = (CpuTime.OfProcess(Environment.ProcessId), CpuTime.OfMachine());
        var plainRounds = await Repeated.Rounds(plan.Rounds, () => marten.Spread(plan.Clients, plan.Burst));
        var plainAppends = plainRounds.Sum() * plan.Burst.TotalSeconds;
        (plainProcess, plainMachine) = ((CpuTime.OfProcess(Environment.ProcessId) - plainProcess) * 1000 / plainAppends,
            (CpuTime.OfMachine() - plainMachine) * 1000 / plainAppends);
        var plainRate = Figure.Of(plainRounds, "appends/s");
        Progress.Say($"  {plainRate}; per append {plainProcess:0.00} ms of this process's CPU, {plainMachine:0.00} ms of the machine's");
        Progress.Say($"plain Marten: {plan.Clients} writers on one stream, AppendOptimistic (version checked at commit), {plan.Rounds} × {plan.Burst.TotalSeconds / 2} s");
        var hotRounds = new List<PlainMarten.Contended>();
        var hotRate = Figure.Of(await Repeated.Rounds(plan.Rounds, async () =>
        {
            hotRounds.Add(await marten.Hot(plan.Clients, plan.Burst / 2));
            return hotRounds[^1].Rate;
        }), "appends/s");
        var (hotAppended, hotRefused) = (hotRounds.Sum(r => r.Appended), hotRounds.Sum(r => r.Refused));
        var hotRaces = hotRounds.Count(r => r.Version != r.Appended + 1);
        Progress.Say($"  {hotRate}; {hotRefused:N0} of {hotAppended + hotRefused:N0} attempts refused by the version check; {hotRaces} rounds where the version disagrees");
        Progress.Say($"plain Marten: one writer on a fresh stream and on one of {plan.LongStream:N0} events, {plan.SingleWriter.TotalSeconds} s each in alternating halves");
        var plainSingle = await Repeated.SingleWriter(plan.SingleWriter, () => marten.Claim(), () => marten.Claim(plan.LongStream - 1),
            marten.SingleWriter);
        Progress.Say($"  p50 fresh {plainSingle.Fresh.P(0.5):0.00} ms, long {plainSingle.Long.P(0.5):0.00} ms");
        await marten.DisposeAsync();
        results.Baselines["plain Marten, 16 streams"] = plainRate;
        results.Baselines["plain Marten, one hot stream"] = hotRate;
        return new(plainRate, plainProcess, plainMachine, hotRate, hotAppended, hotRefused, hotRaces, plainSingle);
    }
}
