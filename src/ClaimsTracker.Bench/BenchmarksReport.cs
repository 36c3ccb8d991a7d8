using System.Text;

namespace ClaimsTracker.Bench;

/// <summary>BENCHMARKS.md, the current table, and details.md, everything the run measured.</summary>
internal static class BenchmarksReport
{
    public const string LimitsHeading = "## What limits each figure";

    // the limits are analysis, not measurement: carried over from the file this run replaces, edited by hand
    public static string Table(Results results, string? limits)
    {
        var text = new StringBuilder();
        var version = results.Machine.GetValueOrDefault("postgresql server_version", "?").Split(' ')[0];
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine($"`ops/bench` on {results.At:yyyy-MM-dd HH:mm} UTC ({results.Seconds:0} s), {results.Machine.GetValueOrDefault("cores", "?")} cores, " +
            $"PostgreSQL {version} with fsync {results.Machine.GetValueOrDefault("postgresql fsync", "?")}. A ratio is held to a baseline of");
        text.AppendLine("the same run (below). How each figure is measured: [docs/benchmarks.md](docs/benchmarks.md); this run's detail per figure:");
        text.AppendLine("`artifacts/bench/details.md`; earlier runs: [docs/benchmark-history.md](docs/benchmark-history.md).").AppendLine();
        text.AppendLine("| figure | what it measures | goal | current | met |").AppendLine("|---|---|---|---|---|");
        foreach (var m in results.Measures)
        {
            text.AppendLine($"| {m.Id} | {m.What} | {m.Goal} | {Figure.Format(m.Value)} | {Met(m, "—")} |");
        }

        text.AppendLine().AppendLine(Summary(results)).AppendLine();
        text.AppendLine("| baseline (same run) | figure |").AppendLine("|---|---|");
        foreach (var (name, figure) in results.Baselines)
        {
            text.AppendLine($"| {name} | {figure} |");
        }

        text.AppendLine().Append(limits ?? $"{LimitsHeading}\n\nSee [docs/costs.md](docs/costs.md).\n");
        return text.ToString();
    }

    public static string Details(Results results)
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine($"`ops/bench{(results.Mode == "quick" ? " --quick" : "")}` on {results.At:yyyy-MM-dd HH:mm} UTC, {results.Seconds:0} s. The service ran in its own process, driven over HTTP on");
        text.AppendLine("127.0.0.1; the raw baselines ran in the benchmark process against the same database in the same run. Figures are medians of");
        text.AppendLine("repeated rounds (spread in brackets) or percentiles of one run.").AppendLine();
        text.AppendLine("| machine | |").AppendLine("|---|---|");
        foreach (var (name, value) in results.Machine)
        {
            text.AppendLine($"| {name} | {value} |");
        }

        text.AppendLine().AppendLine("| baseline | figure |").AppendLine("|---|---|");
        foreach (var (name, figure) in results.Baselines)
        {
            text.AppendLine($"| {name} | {figure} |");
        }

        text.AppendLine().AppendLine("| | measure | result | goal | met | baseline (same run) | detail |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var m in results.Measures)
        {
            text.AppendLine($"| {m.Id} | {m.What} | {Figure.Format(m.Value)} | {m.Goal} | {Met(m, "")} | {m.Baseline} | {m.Detail} |");
        }

        text.AppendLine().AppendLine(Summary(results));
        if (results.DatabaseWork.Count > 0)
        {
            text.AppendLine().AppendLine("P1's top statements by PostgreSQL's time (pg_stat_statements, every statement the service ran during P1, per acknowledged write):")
                .AppendLine().AppendLine("| statement | calls per write | ms per write |").AppendLine("|---|---|---|");
            foreach (var w in results.DatabaseWork)
            {
                text.AppendLine($"| `{w.Statement.Replace("|", "\\|", StringComparison.Ordinal)}` | {w.CallsPerWrite:0.00} | {w.MillisecondsPerWrite:0.000} |");
            }
        }

        return text.ToString();
    }

    private static string Met(Measure m, string none) => m.Met switch { true => "yes", false => "**no**", null => none };

    private static string Summary(Results results) =>
        $"Goals met: {results.Measures.Count(m => m.Met == true)} of {results.Measures.Count(m => m.Met is not null)}. " +
        $"Requests answered with an error during the run: {results.Errors}.";
}
