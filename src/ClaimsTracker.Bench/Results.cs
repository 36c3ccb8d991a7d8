namespace ClaimsTracker.Bench;

internal sealed class Results(string mode, DateTimeOffset at)
{
    public string Mode { get; } = mode;
    public DateTimeOffset At { get; } = at;
    public Dictionary<string, string> Machine { get; } = new();
    public Dictionary<string, Figure> Baselines { get; } = new();
    public List<Measure> Measures { get; } = [];
    public List<StatementWork> DatabaseWork { get; } = [];
    public int Errors { get; set; }
    public double Seconds { get; set; }

    public string Markdown()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine($"`ops/bench{(Mode == "quick" ? " --quick" : "")}` on {At:yyyy-MM-dd HH:mm} UTC, {Seconds:0} s. The service ran in its own process, driven over HTTP on");
        text.AppendLine("127.0.0.1; the raw baselines ran in the benchmark process against the same database in the same run. Figures are medians of");
        text.AppendLine("repeated rounds (spread in brackets) or percentiles of one run.").AppendLine();
        text.AppendLine("| machine | |").AppendLine("|---|---|");
        foreach (var (name, value) in Machine)
        {
            text.AppendLine($"| {name} | {value} |");
        }

        text.AppendLine().AppendLine("| baseline | figure |").AppendLine("|---|---|");
        foreach (var (name, figure) in Baselines)
        {
            text.AppendLine($"| {name} | {figure} |");
        }

        text.AppendLine().AppendLine("| | measure | result | goal | met | baseline (same run) | detail |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var m in Measures)
        {
            var met = m.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine($"| {m.Id} | {m.What} | {Figure.Format(m.Value)} | {m.Goal} | {met} | {m.Baseline} | {m.Detail} |");
        }

        text.AppendLine().AppendLine($"Goals met: {Measures.Count(m => m.Met == true)} of {Measures.Count(m => m.Met is not null)}. " +
            $"Requests answered with an error during the run: {Errors}.");
        if (DatabaseWork.Count > 0)
        {
            text.AppendLine().AppendLine("P1's top statements by PostgreSQL's time (pg_stat_statements, every statement the service ran during P1, per acknowledged write):")
                .AppendLine().AppendLine("| statement | calls per write | ms per write |").AppendLine("|---|---|---|");
            foreach (var w in DatabaseWork)
            {
                text.AppendLine($"| `{w.Statement.Replace("|", "\\|")}` | {w.CallsPerWrite:0.00} | {w.MillisecondsPerWrite:0.000} |");
            }
        }

        return text.ToString();
    }
}
