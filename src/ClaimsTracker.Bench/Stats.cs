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

/// <summary>Latencies of one run, in milliseconds.</summary>
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

    public int Count => _samples.Count;

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
