namespace ClaimsTracker.Bench;

/// <summary>Repeated rounds of one measure: the median is the figure, min and max its spread.</summary>
public sealed record Figure(double Median, double Min, double Max, int Rounds, string Unit)
{
    public static Figure Of(IReadOnlyCollection<double> rounds, string unit)
    {
        var sorted = rounds.Order().ToArray();
        return new(Percentile(sorted, 0.5), sorted[0], sorted[^1], sorted.Length, unit);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public override string ToString() => Rounds > 1
        ? $"{Format(Median)} {Unit} ({Format(Min)}–{Format(Max)}, {Rounds} rounds)"
        : $"{Format(Median)} {Unit}";

    public static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        >= 100 => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class Latencies
{
    private readonly List<double> _samples = [];
    private readonly Lock _gate = new();

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _samples.Add(milliseconds);
        }
    }

    public void AddAll(Latencies other)
    {
        var samples = other.Snapshot();
        lock (_gate)
        {
            _samples.AddRange(samples);
        }
    }

    public int Count => _samples.Count;

    private double[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }

    public double P(double p)
    {
        lock (_gate)
        {
            return Figure.Percentile(_samples.Order().ToArray(), p);
        }
    }
}

public static class Progress
{
    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    public static void Say(string message) => Console.WriteLine($"[{Clock.Elapsed.TotalSeconds,6:0.0}s] {message}");
}

/// <summary>CPU seconds from /proc: one process's user + system, or every core's busy time for the machine.</summary>
public static class CpuTime
{
    private const double TicksPerSecond = 100;

    public static double OfProcess(int pid)
    {
        // the fields after the command name, which is in parentheses and may itself hold spaces
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>All PostgreSQL server processes on the machine (the bench's private cluster is the only one it loads).</summary>
    public static double OfPostgres()
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && File.Exists($"{dir}/comm")
                && File.ReadAllText($"{dir}/comm").Trim() == "postgres")
            {
                try
                {
                    total += OfProcess(pid);
                }
                catch (IOException)
                {
                    // a backend that ended between the listing and the read
                }
            }
        }

        return total;
    }

    public static double OfMachine()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(t => long.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (ticks.Sum() - ticks[3] - ticks[4]) / TicksPerSecond;   // all but idle and iowait
    }
}
