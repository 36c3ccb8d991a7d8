namespace ClaimsTracker.Bench;

/// <param name="Baseline">the raw figure of the same run that <paramref name="Value"/> is held to, when it has one</param>
/// <param name="Reached">whether the goal is met, for a goal that is more than a bound on <paramref name="Value"/></param>
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
