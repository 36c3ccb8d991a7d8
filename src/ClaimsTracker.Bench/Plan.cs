namespace ClaimsTracker.Bench;

internal sealed record Plan(
    int Rounds, int Clients, TimeSpan Burst, TimeSpan Paced, int CopyRows, int LongStream, TimeSpan SeedBudget, int Claims,
    int EventsPerClaim, TimeSpan RebuildBudget, int Reads, int Port, TimeSpan Total, TimeSpan ReadsLimit, TimeSpan CatchUpLimit,
    TimeSpan SingleWriter, int TelemetryRounds)
{
    public static readonly Plan Quick = new(2, 16, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), 50_000, 300, TimeSpan.FromSeconds(10),
        500, 20, TimeSpan.FromSeconds(12), 200, 5590, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(1), 2);
    // the bound leaves the rebuild (P4), which runs last, the time a million events take it here (docs/costs.md)
    public static readonly Plan Full = new(3, 16, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10), 200_000, 10_000, TimeSpan.FromSeconds(90),
        10_000, 100, TimeSpan.FromSeconds(120), 1_000, 5590, TimeSpan.FromSeconds(490), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(6), 8);
}
