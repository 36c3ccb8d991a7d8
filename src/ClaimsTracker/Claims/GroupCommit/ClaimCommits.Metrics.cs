using System.Diagnostics.Metrics;
using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Claims;

public sealed partial class ClaimCommits
{
    private static readonly Counter<long> StatementsRecorded = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.statements.recorded", "{statement}", "Statements recorded, by stance");

    private static readonly Counter<long> StatusChanges = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.claim.status_changes", "{change}", "Writes that changed a claim's status, by the status before and after");

    private static readonly Histogram<double> WriteDuration = Telemetry.Meter.CreateHistogram(
        "claimstracker.write.duration", "s", "A write's time from its arrival to its commit (or refusal), by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.SecondsBuckets });

    private static readonly Histogram<long> BatchSize = Telemetry.Meter.CreateHistogram<long>(
        "claimstracker.write.batch_size", "{write}", "Writes that shared one commit");

    private static readonly string[] StanceWords = Enum.GetValues<Stance>().Select(Words.Of).ToArray();
    private static readonly string[] StatusWords = Enum.GetValues<ClaimStatus>().Select(Words.Of).ToArray();

    private static void Committed(ClaimStatus before, ClaimStatus after, object[] events)
    {
        foreach (var e in events)
        {
            if (e is StatementRecorded statement)
            {
                StatementsRecorded.Add(1, new KeyValuePair<string, object?>("stance", StanceWords[(int)statement.Stance]));
            }
        }

        if (before != after && events is not [ClaimRegistered])
        {
            StatusChanges.Add(1, new KeyValuePair<string, object?>("from", StatusWords[(int)before]),
                new KeyValuePair<string, object?>("to", StatusWords[(int)after]));
        }
    }
}
