namespace ClaimsTracker.Bench;

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
