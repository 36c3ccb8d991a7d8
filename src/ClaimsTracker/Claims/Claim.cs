namespace ClaimsTracker.Claims;

public sealed record StatementRef(long Version, string SourceName);

/// <summary>The write-side claim: only what decisions and the write reply need.</summary>
public sealed partial record Claim(Guid Id, long Version, ClaimFacts Facts, StatementRef[] Statements, bool Retracted)
{
    public ClaimStatus Status => ConfirmationStatus.At(Facts).Status;

    public static Claim Create(ClaimRegistered e) =>
        new(e.ClaimId, 1, ClaimFacts.Start(e.Parties, e.FirstReport.PublishedAt), [], false);

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
            Facts = Facts.Then(version, e),
            Statements = e is StatementRecorded s ? [.. Statements, new(version, s.Source.Name)] : Statements,
            Retracted = Retracted || e is ClaimRetracted,
        };
    }
}
