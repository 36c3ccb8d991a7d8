namespace ClaimsTracker.Claims;

/// <summary>A party's latest confirmation or denial in world order after a correction (null leaves it open).</summary>
public sealed record PartyStanding(string Party, PartyStatement? Latest, PartyStatement? NotConfirmed = null);

/// <summary>The write-side claim: only what decisions need, so it stays the same size however long the claim grows.</summary>
public sealed record Claim(
    Guid Id, long Version, string[] Parties, PartyStatement?[] Latest, Ruling? Ruling, bool Retracted,
    PartyStatement?[]? NotConfirmed = null)
{
    /// <summary>The claims this one names (<see cref="ClaimRelation"/>): at most <see cref="ClaimRelation.Max"/>, so the state stays bounded.</summary>
    public ClaimRelation[] Relations { get; init; } = [];

    public static Claim Create(ClaimRegistered e) =>
        new(e.ClaimId, 1, e.Parties, new PartyStatement?[e.Parties.Length], null, false, new PartyStatement?[e.Parties.Length]);

    public static Claim From(Guid id, long version, ClaimFacts facts)
    {
        var claim = new Claim(id, version, facts.Parties, new PartyStatement?[facts.Parties.Length], null, false, new PartyStatement?[facts.Parties.Length]);
        claim = facts.Statements.Aggregate(claim, (c, s) => c.Take(s));
        return facts.Rulings.Aggregate(claim, (c, r) => c.Rule(r) with { Retracted = c.Retracted || r.Status == ClaimStatus.Retracted });
    }

    public ClaimStatus Status => Retracted ? ClaimStatus.Retracted : Ruling?.Status
        ?? ConfirmationStatus.Derive(Latest.Select(StanceOf).ToArray());

    /// <summary>Whether an editor's verdict overrides the derivation now (not withdrawn, the claim not retracted).</summary>
    public bool VerdictInForce => !Retracted && Ruling is { Status: not null };

    public PartyPosition[] Positions =>
        Parties.Select((p, i) => new PartyPosition(p, StanceOf(Latest[i]), Latest[i], NotConfirmed?.ElementAtOrDefault(i))).ToArray();

    public string? InvolvedParty(string? party) => ClaimFacts.InvolvedParty(Parties, party);

    public PartyStatement? LatestOf(string party) => Array.FindIndex(Parties, p => p == party) is var i and >= 0 ? Latest[i] : null;

    public PartyStatement? NotConfirmedOf(string party) =>
        Array.FindIndex(Parties, p => p == party) is var i and >= 0 ? NotConfirmed?.ElementAtOrDefault(i) : null;

    public Claim Then(long version, object e) => (e switch
    {
        StatementRecorded s when InvolvedParty(s.Source.Party) is { } party =>
            Take(new PartyStatement(version, party, s.Stance, s.StatedAt, s.Source.Name, s.Quote, s.QuoteKind, s.StatedAtPrecision)),
        VerdictGiven v => Rule(new Ruling(version, ConfirmationStatus.ForVerdict(v.Verdict), v.GivenAt)),
        ClaimRetracted r => Rule(new Ruling(version, ClaimStatus.Retracted, r.RetractedAt)) with { Retracted = true },
        VerdictWithdrawn w => Rule(new Ruling(version, null, w.WithdrawnAt)),
        ClaimCorrected { Standings: { } standings } c =>
            standings.Aggregate(c.Parties is { } parties ? Involving(parties) : this,
                (claim, s) => claim.Set(s.Party, s.Latest).SetNotConfirmed(s.Party, s.NotConfirmed)),
        ClaimCorrected { CorrectsVersion: { } target } c => Corrected(target, c),
        ClaimRelated r => this with { Relations = [.. Relations.Where(x => x.ClaimId != r.OtherClaimId), new(r.Kind, r.OtherClaimId, r.Note)] },
        ClaimUnrelated u => this with { Relations = Relations.Where(x => x.ClaimId != u.OtherClaimId).ToArray() },
        _ => this,
    }) with { Version = version };

    // corrections recorded before they said where they leave the party: corrected in place, or the party left open
    private Claim Corrected(long target, ClaimCorrected c)
    {
        if (Latest.FirstOrDefault(l => l?.Version == target) is not { } latest)
        {
            return this;
        }

        var corrected = latest with
        {
            Stance = c.Stance ?? latest.Stance, StatedAt = c.StatedAt ?? latest.StatedAt, Quote = c.Quote ?? latest.Quote,
            StatedAtPrecision = c.StatedTime()?.Precision ?? latest.StatedAtPrecision,
        };
        return Set(latest.Party, corrected.Stance is Stance.Confirms or Stance.Denies ? corrected : null);
    }

    private Claim Involving(string[] parties) =>
        this with { Parties = parties, Latest = new PartyStatement?[parties.Length], NotConfirmed = new PartyStatement?[parties.Length] };

    private Claim Take(PartyStatement statement) => statement.Stance switch
    {
        Stance.Confirms or Stance.Denies when LatestOf(statement.Party) is not { } latest || Later(statement, latest) => Set(statement.Party, statement),
        Stance.NotConfirmed when NotConfirmedOf(statement.Party) is not { } report || Later(statement, report) =>
            SetNotConfirmed(statement.Party, statement),
        _ => this,
    };

    private Claim Rule(Ruling ruling) =>
        Ruling is { } last && !Later(ruling.At, ruling.Version, last.At, last.Version) ? this : this with { Ruling = ruling };

    private Claim Set(string party, PartyStatement? latest)
    {
        var i = Array.FindIndex(Parties, p => string.Equals(p, party, StringComparison.OrdinalIgnoreCase));
        if (i < 0)
        {
            return this;
        }

        var next = (PartyStatement?[])Latest.Clone();
        next[i] = latest;
        return this with { Latest = next };
    }

    private Claim SetNotConfirmed(string party, PartyStatement? report)
    {
        var i = Array.FindIndex(Parties, p => string.Equals(p, party, StringComparison.OrdinalIgnoreCase));
        if (i < 0 || (report is null && NotConfirmed?.ElementAtOrDefault(i) is null))
        {
            return this;
        }

        var next = NotConfirmed is { } kept && kept.Length == Parties.Length ? (PartyStatement?[])kept.Clone() : new PartyStatement?[Parties.Length];
        next[i] = report;
        return this with { NotConfirmed = next };
    }

    /// <summary>Whether <paramref name="x"/> comes after <paramref name="than"/> in world order: by the end of when each was said, then version.</summary>
    public static bool Later(PartyStatement x, PartyStatement than) => Later(x.Stated.End, x.Version, than.Stated.End, than.Version);

    public static bool Later(DateTimeOffset at, long version, DateTimeOffset thanAt, long thanVersion) =>
        at != thanAt ? at > thanAt : version > thanVersion;

    public static PartyStance StanceOf(PartyStatement? statement) => statement?.Stance switch
    {
        Stance.Confirms => PartyStance.Confirms,
        Stance.Denies => PartyStance.Denies,
        _ => PartyStance.Open,
    };
}
