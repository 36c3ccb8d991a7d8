using System.Diagnostics.Metrics;
using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Audit.PublicLog;

public sealed class LogStatus
{
    private static readonly Histogram<double> IntegrationDelay = Telemetry.Meter.CreateHistogram(
        "claimstracker.log.integration.delay", "s", "From the oldest event of a batch being recorded to its signed checkpoint",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.SecondsBuckets });

    // only the node that integrates reports the size: the others would report a size they do not maintain
    private static readonly ObservableGauge<long> TreeSize = Telemetry.Meter.CreateObservableGauge(
        "claimstracker.log.tree.size", () => _leading is { IsLeader: true } s ? [new Measurement<long>(s.Size)] : Array.Empty<Measurement<long>>(), "{leaf}",
        "Leaves under the latest signed checkpoint, on the node that integrates the public log");

    private static LogStatus? _leading;

    private readonly object _gate = new();
    private readonly Queue<TimeSpan> _delays = new();

    public bool IsLeader { get; private set; }
    public long Size { get; private set; }
    public DateTimeOffset? SignedAt { get; private set; }

    /// <summary>How long the oldest committed event has waited behind a hole in the sequence; null when none waits.</summary>
    public TimeSpan? Waiting { get; internal set; }

    /// <summary>The integration delays of the last 1,000 batches: oldest event of a batch to its signed checkpoint.</summary>
    public IReadOnlyList<TimeSpan> RecentDelays
    {
        get
        {
            lock (_gate)
            {
                return _delays.ToList();
            }
        }
    }

    public event Action<long, TimeSpan>? BatchIntegrated;

    internal void Leading(bool leading)
    {
        IsLeader = leading;
        if (leading)
        {
            _leading = this;
        }
    }

    internal void Integrated(long size, DateTimeOffset? signedAt, TimeSpan? delay)
    {
        (Size, SignedAt) = (size, signedAt);
        if (delay is not { } d)
        {
            return;
        }

        IntegrationDelay.Record(d.TotalSeconds);
        lock (_gate)
        {
            _delays.Enqueue(d);
            if (_delays.Count > 1_000)
            {
                _delays.Dequeue();
            }
        }

        BatchIntegrated?.Invoke(size, d);
    }
}
