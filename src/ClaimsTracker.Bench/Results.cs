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
}
