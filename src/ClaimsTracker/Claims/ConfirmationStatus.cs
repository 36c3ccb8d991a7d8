namespace ClaimsTracker.Claims;

/// <summary>A statement by a source of one of the claim's involved parties: the only kind that moves the status.</summary>
public sealed record PartyStatement(
    long Version, string Party, Stance Stance, DateTimeOffset StatedAt, string SourceName, string? Quote,
    QuoteKind QuoteKind = QuoteKind.Direct, TimePrecision StatedAtPrecision = TimePrecision.Instant, long? CorrectedIn = null)
{
    /// <summary>When it was said, as precisely as known: it counts from the end of that period.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public WorldTime Stated => new(StatedAt, StatedAtPrecision);

    /// <summary>The statement as <paramref name="e"/>, the event at <paramref name="version"/>, corrects it, now by <paramref name="party"/>.</summary>
    public PartyStatement CorrectedBy(ClaimCorrected e, long version, string party) => this with
    {
        Party = party, CorrectedIn = e.ChangesStatement ? version : CorrectedIn, Stance = e.Stance ?? Stance, StatedAt = e.StatedAt ?? StatedAt, Quote = e.Quote ?? Quote,
        QuoteKind = e.QuoteKind ?? QuoteKind, SourceName = e.Source?.Name ?? SourceName,
        StatedAtPrecision = e.StatedTime()?.Precision ?? StatedAtPrecision,
    };
}

/// <summary>A verdict or retraction overrides the derivation from its moment on; a withdrawn verdict has no status.</summary>
public sealed record Ruling(long Version, ClaimStatus? Status, DateTimeOffset At);

/// <summary>A party's stance, the statement behind it, and the latest report that it has not confirmed.</summary>
public sealed record PartyPosition(string Party, PartyStance Stance, PartyStatement? Because, PartyStatement? NotConfirmed = null);

/// <summary>A status over world time; <see cref="UncertainFrom"/>: the change came from a fact known only to a period, somewhere from then to <see cref="From"/>.</summary>
public sealed record StatusInterval(DateTimeOffset From, DateTimeOffset? To, ClaimStatus Status, long BecauseOf, DateTimeOffset? UncertainFrom = null);

/// <summary>What the status is derived from; each fold appends in constant time (<see cref="AppendOnly{T}"/>), so n events cost n, not n².</summary>
public sealed record ClaimFacts(
    string[] Parties, DateTimeOffset Since, IReadOnlyList<PartyStatement> Statements, Ruling[] Rulings,
    IReadOnlyList<PartyStatement>? Others = null)
{
    public static ClaimFacts Start(string[] parties, DateTimeOffset since) =>
        new(parties, since, AppendOnly<PartyStatement>.Empty, [], AppendOnly<PartyStatement>.Empty);

    public string? InvolvedParty(string? party) => InvolvedParty(Parties, party);

    public static string? InvolvedParty(string[] parties, string? party) =>
        party is null ? null : parties.FirstOrDefault(p => string.Equals(p, party.Trim(), StringComparison.OrdinalIgnoreCase));

    public ClaimFacts Then(long version, object e) => e switch
    {
        StatementRecorded x => Record(version, x),
        VerdictGiven x => Rule(version, ConfirmationStatus.ForVerdict(x.Verdict), x.GivenAt),
        ClaimCorrected x => Correct(version, x),
        ClaimRetracted x => Rule(version, ClaimStatus.Retracted, x.RetractedAt),
        VerdictWithdrawn x => Rule(version, null, x.WithdrawnAt),
        _ => this,
    };

    private ClaimFacts Record(long version, StatementRecorded e) =>
        InvolvedParty(e.Source.Party) is { } party
            ? this with { Statements = AppendOnly<PartyStatement>.Of(Statements).Append(new(version, party, e.Stance, e.StatedAt, e.Source.Name, e.Quote, e.QuoteKind, e.StatedAtPrecision)) }
            : this with { Others = AppendOnly<PartyStatement>.Of(Others ?? []).Append(new(version, e.Source.Party ?? "", e.Stance, e.StatedAt, e.Source.Name, e.Quote, e.QuoteKind, e.StatedAtPrecision)) };

    private ClaimFacts Rule(long version, ClaimStatus? status, DateTimeOffset at) =>
        this with { Rulings = [.. Rulings, new(version, status, at)] };

    private ClaimFacts Correct(long version, ClaimCorrected e)
    {
        if (e.Parties is { } parties)
        {
            return Involving(parties);
        }

        if (e is { CorrectsVersion: 1, Article: { } firstReport })
        {
            return this with { Since = firstReport.PublishedAt };
        }

        var others = Others ?? [];
        if (e.CorrectsVersion is not { } target || !e.ChangesStatement
            || (Statements.FirstOrDefault(s => s.Version == target) ?? others.FirstOrDefault(s => s.Version == target)) is not { } said)
        {
            return this;
        }

        var party = e.Source is { } source ? source.Party ?? "" : said.Party;
        var involved = InvolvedParty(party);
        var corrected = said.CorrectedBy(e, version, involved ?? party);
        return this with
        {
            Statements = [.. Statements.Where(s => s.Version != target), .. involved is null ? Array.Empty<PartyStatement>() : [corrected]],
            Others = [.. others.Where(s => s.Version != target), .. involved is null ? [corrected] : Array.Empty<PartyStatement>()],
        };
    }

    /// <summary>The facts with <paramref name="parties"/> involved instead: each statement counts for the party it is now by, or is a third party's.</summary>
    private ClaimFacts Involving(string[] parties)
    {
        var all = Statements.Concat(Others ?? []).OrderBy(s => s.Version).ToList();
        return this with
        {
            Parties = parties,
            Statements = all.Where(s => InvolvedParty(parties, s.Party) is not null).Select(s => s with { Party = InvolvedParty(parties, s.Party)! }).ToArray(),
            Others = all.Where(s => InvolvedParty(parties, s.Party) is null).ToArray(),
        };
    }
}

/// <summary>The confirmation-status rule of PRODUCT.md.</summary>
public static class ConfirmationStatus
{
    public static ClaimStatus Derive(IReadOnlyCollection<PartyStance> stances)
    {
        var confirms = stances.Count(s => s == PartyStance.Confirms);
        var denies = stances.Count(s => s == PartyStance.Denies);
        return (confirms, denies) switch
        {
            (> 0, 0) when confirms == stances.Count => ClaimStatus.Confirmed,
            (> 0, > 0) => ClaimStatus.Disputed,
            (> 0, 0) => ClaimStatus.PartiallyConfirmed,
            (0, > 0) => ClaimStatus.Denied,
            _ => ClaimStatus.Unconfirmed,
        };
    }

    public static ClaimStatus ForVerdict(Verdict verdict) => verdict switch
    {
        Verdict.Confirmed => ClaimStatus.Confirmed,
        Verdict.False => ClaimStatus.Refuted,
        Verdict.Misleading => ClaimStatus.Misleading,
        _ => ClaimStatus.Unconfirmed,
    };

    public static (ClaimStatus Status, PartyPosition[] Parties) At(ClaimFacts facts, DateTimeOffset? worldAt = null)
    {
        var fold = new Fold(facts.Parties);
        foreach (var fact in InWorldOrder(facts))
        {
            if (worldAt is { } t && fact.At > t)
            {
                break;
            }

            fold.Add(fact);
        }

        return (fold.Status, fold.Positions());
    }

    public static IReadOnlyList<StatusInterval> Timeline(ClaimFacts facts) => StatusTimeline.Of(facts).Intervals;

    /// <summary>A fact at the end of its period (<see cref="At"/>); <see cref="Since"/> the period's start when it is not an instant.</summary>
    internal readonly record struct Fact(DateTimeOffset At, long Version, PartyStatement? Statement, Ruling? Ruling, DateTimeOffset? Since = null)
    {
        /// <summary>The event a status change is because of: the statement's latest correction, if any, else the fact's own event.</summary>
        public long Cause => Statement?.CorrectedIn ?? Version;
    }

    // (time, version) never ties, so an unstable in-place sort gives the one order, cheaper than LINQ's on a long claim
    internal static Fact[] InWorldOrder(ClaimFacts facts)
    {
        var ordered = new Fact[facts.Statements.Count + facts.Rulings.Length];
        var i = 0;
        foreach (var s in facts.Statements)
        {
            ordered[i++] = new Fact(s.Stated.End, s.Version, s, null, s.Stated.Uncertain ? s.StatedAt : null);
        }

        foreach (var r in facts.Rulings)
        {
            ordered[i++] = new Fact(r.At, r.Version, null, r);
        }

        Array.Sort(ordered, static (x, y) => x.At != y.At ? x.At.CompareTo(y.At) : x.Version.CompareTo(y.Version));
        return ordered;
    }

    private sealed class Fold(string[] parties)
    {
        private readonly Dictionary<string, PartyStatement> _latest = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, PartyStatement> _notConfirmed = new(StringComparer.OrdinalIgnoreCase);
        private Ruling? _ruling;

        public ClaimStatus Status => _ruling?.Status
            ?? Derive(parties.Select(p => StanceOf(_latest.GetValueOrDefault(p))).ToArray());

        public void Add(Fact fact)
        {
            if (fact.Statement is { Stance: Stance.Confirms or Stance.Denies } statement)
            {
                _latest[statement.Party] = statement;
            }
            else if (fact.Statement is { Stance: Stance.NotConfirmed } report)
            {
                _notConfirmed[report.Party] = report;
            }
            else if (fact.Ruling is { } ruling && _ruling?.Status != ClaimStatus.Retracted)
            {
                _ruling = ruling;
            }
        }

        public PartyPosition[] Positions() =>
            parties.Select(p => new PartyPosition(p, StanceOf(_latest.GetValueOrDefault(p)), _latest.GetValueOrDefault(p),
                _notConfirmed.GetValueOrDefault(p))).ToArray();

        private static PartyStance StanceOf(PartyStatement? statement) => Claim.StanceOf(statement);
    }
}

/// <summary>A list that grows at its end in amortised constant time while every earlier version stays as it was.</summary>
public sealed class AppendOnly<T> : IReadOnlyList<T>
{
    public static readonly AppendOnly<T> Empty = new(new Buffer(0), 0);

    private readonly Buffer _buffer;

    private AppendOnly(Buffer buffer, int count) => (_buffer, Count) = (buffer, count);

    public int Count { get; }

    public T this[int index] => (uint)index < (uint)Count ? _buffer.Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public static AppendOnly<T> Of(IReadOnlyList<T> items)
    {
        if (items is AppendOnly<T> list)
        {
            return list;
        }

        var buffer = new Buffer(Math.Max(4, items.Count * 2));
        for (var i = 0; i < items.Count; i++)
        {
            buffer.Items[i] = items[i];
        }

        buffer.Used = items.Count;
        return new AppendOnly<T>(buffer, items.Count);
    }

    public AppendOnly<T> Append(T item)
    {
        // only the newest version may write into the free tail: the slot is claimed atomically
        if (Count < _buffer.Items.Length && Interlocked.CompareExchange(ref _buffer.Used, Count + 1, Count) == Count)
        {
            _buffer.Items[Count] = item;
            return new AppendOnly<T>(_buffer, Count + 1);
        }

        var grown = new Buffer(Math.Max(4, Count * 2));
        Array.Copy(_buffer.Items, grown.Items, Count);
        grown.Items[Count] = item;
        grown.Used = Count + 1;
        return new AppendOnly<T>(grown, Count + 1);
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _buffer.Items[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Buffer(int capacity)
    {
        public readonly T[] Items = new T[capacity];
        public int Used;
    }
}
