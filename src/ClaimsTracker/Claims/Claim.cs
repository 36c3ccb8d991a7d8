namespace ClaimsTracker.Claims;

public sealed record StatementRef(long Version, string SourceName);

/// <summary>The part of an earlier snapshot's facts that the claim still needs: its parties.</summary>
public sealed record EarlierSnapshotFacts(string[] Parties);

/// <summary>
/// The write-side claim: only what decisions need. It keeps no copy of the facts the status is derived from: the
/// inline summary keeps those in the same transaction and derives the status a write replies with
/// (<see cref="ClaimWrites"/>), so a write reads and rewrites one growing document rather than two.
/// </summary>
public sealed partial record Claim(Guid Id, long Version, string[] Parties, IReadOnlyList<StatementRef> Statements, bool Retracted)
{
    public static Claim Create(ClaimRegistered e) => new(e.ClaimId, 1, e.Parties, AppendOnly<StatementRef>.Empty, false);

    /// <summary>
    /// Snapshots stored before the claim kept its parties itself carried them only inside their copy of the facts
    /// (<c>"facts": {"parties": [...]}</c>): such a snapshot still reads with its parties. Never written.
    /// </summary>
    [System.Text.Json.Serialization.JsonPropertyName("facts")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public EarlierSnapshotFacts? EarlierFacts
    {
        get => null;
        init => Parties = Parties is { Length: > 0 } ? Parties : value?.Parties ?? [];
    }

    /// <summary>The claim's own spelling of a party, or null when the party is not involved (a third party).</summary>
    public string? InvolvedParty(string? party) => ClaimFacts.InvolvedParty(Parties, party);

    public Claim Apply(ClaimReported e) => Then(e);

    public Claim Apply(StatementRecorded e) => Then(e);

    public Claim Apply(EvidenceAttached e) => Then(e);

    public Claim Apply(VerdictGiven e) => Then(e);

    public Claim Apply(ClaimCorrected e) => Then(e);

    public Claim Apply(ClaimRetracted e) => Then(e);

    /// <summary>Folds one event that follows the registration, as Marten does when it replays the stream.</summary>
    public Claim Then(object e)
    {
        var version = Version + 1;
        return this with
        {
            Version = version,
            Statements = e is StatementRecorded s ? AppendOnly<StatementRef>.Of(Statements).Append(new(version, s.Source.Name)) : Statements,
            Retracted = Retracted || e is ClaimRetracted,
        };
    }
}
