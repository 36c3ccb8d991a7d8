namespace ClaimsTracker.Claims;

/// <summary>The status over world time, built one fact at a time; its size follows the status changes, not the facts.</summary>
public sealed class StatusTimeline
{
    public string[] Parties { get; set; } = [];
    public PartyStance[] Stances { get; set; } = [];
    public ClaimStatus? Ruling { get; set; }
    public List<StatusInterval> Intervals { get; set; } = [];
    public DateTimeOffset LastAt { get; set; } = DateTimeOffset.MinValue;
    public long LastVersion { get; set; }

    public ClaimStatus Status => Ruling ?? ConfirmationStatus.Derive(Stances);

    public static StatusTimeline Start(string[] parties, DateTimeOffset from) => new()
    {
        Parties = parties, Stances = new PartyStance[parties.Length], Intervals = [new(from, null, ClaimStatus.Unconfirmed, 1)],
    };

    public static StatusTimeline Of(ClaimFacts facts)
    {
        var ordered = ConfirmationStatus.InWorldOrder(facts);
        // from the earliest moment anything may have happened: an imprecise fact's period can begin before the first report
        var timeline = Start(facts.Parties, ordered.Select(f => f.Since ?? f.At).Append(facts.Since).Min());
        foreach (var fact in ordered)
        {
            timeline.Add(fact);
        }

        return timeline;
    }

    /// <summary>False when the timeline must be derived again (a fact said earlier in world time, or a correction).</summary>
    public bool Then(long version, object e)
    {
        if (e is ClaimCorrected)
        {
            return false;
        }

        foreach (var fact in ConfirmationStatus.InWorldOrder(ClaimFacts.Start(Parties, Intervals[0].From).Then(version, e)))
        {
            if (fact.At < LastAt || (fact.At == LastAt && fact.Version <= LastVersion) || (fact.Since ?? fact.At) < Intervals[0].From)
            {
                return false;
            }

            Add(fact);
        }

        return true;
    }

    private void Add(ConfirmationStatus.Fact fact)
    {
        if (fact.Statement is { Stance: Stance.Confirms or Stance.Denies } statement && Array.FindIndex(Parties, p => string.Equals(p, statement.Party, StringComparison.OrdinalIgnoreCase)) is >= 0 and var i)
        {
            Stances[i] = Claim.StanceOf(statement);
        }
        else if (fact.Ruling is { } ruling && Ruling != ClaimStatus.Retracted)
        {
            Ruling = ruling.Status;
        }

        (LastAt, LastVersion) = (fact.At, fact.Version);
        var status = Status;
        var current = Intervals[^1];
        if (status == current.Status)
        {
            return;
        }

        if (fact.At > current.From)
        {
            Intervals[^1] = current with { To = fact.At };
            Intervals.Add(new(fact.At, null, status, fact.Cause, fact.Since is { } since ? Max(since, current.From) : null));
        }
        else if (Intervals.Count > 1 && Intervals[^2].Status == status)
        {
            Intervals.RemoveAt(Intervals.Count - 1);
            Intervals[^1] = Intervals[^1] with { To = null };
        }
        else
        {
            Intervals[^1] = current with { Status = status, BecauseOf = fact.Cause, UncertainFrom = fact.Since ?? current.UncertainFrom };
        }
    }

    private static DateTimeOffset Max(DateTimeOffset x, DateTimeOffset y) => x > y ? x : y;
}
