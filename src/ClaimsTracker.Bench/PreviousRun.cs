using System.Text.RegularExpressions;

namespace ClaimsTracker.Bench;

/// <summary>The BENCHMARKS.md this run replaces: its P1 figure is this run's "before".</summary>
internal static partial class PreviousRun
{
    /// <summary>"0.01 (192 writes/s vs 14,449 rows/s, `ops/bench` of 2026-11-27 11:54 UTC)", or null when there is no such row.</summary>
    public static string? WriteRatio(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllLines(path);
        var at = lines.Select(l => RunAt().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "an earlier run";
        var row = lines.FirstOrDefault(l => l.StartsWith("| P1 | HTTP statement writes/s, 16 clients ÷ raw", StringComparison.Ordinal));
        var cells = row?.Split('|').Select(c => c.Trim()).ToArray();
        var header = lines.FirstOrDefault(l => l.Contains("| result |", StringComparison.Ordinal) || l.Contains("| current |", StringComparison.Ordinal))
            ?.Split('|').Select(c => c.Trim()).ToList();
        var column = header is null ? -1 : Math.Max(header.IndexOf("result"), header.IndexOf("current"));
        if (cells is not { Length: >= 6 } || column < 0 || column >= cells.Length)
        {
            return null;
        }

        // a detail, when the table has one, is the last cell
        var figures = Figures().Match(cells[^2]);
        return figures.Success
            ? $"{cells[column]} ({figures.Groups[1].Value} writes/s vs {figures.Groups[2].Value} rows/s, `ops/bench` of {at})"
            : $"{cells[column]} (`ops/bench` of {at})";
    }

    public static string? Limits(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path);
        var at = text.IndexOf(BenchmarksReport.LimitsHeading, StringComparison.Ordinal);
        return at < 0 ? null : text[at..];
    }

    [GeneratedRegex(@"^`ops/bench[^`]*` on (\d{4}-\d\d-\d\d \d\d:\d\d UTC)")]
    private static partial Regex RunAt();

    [GeneratedRegex(@"^([\d,.]+) writes/s.*? vs ([\d,.]+) rows/s")]
    private static partial Regex Figures();
}
