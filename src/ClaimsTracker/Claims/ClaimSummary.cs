using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten.Events.Aggregation;
using Marten.Schema;

namespace ClaimsTracker.Claims;

public sealed class ClaimCounts
{
    public int Statements { get; set; }
    public int PartyStatements { get; set; }
    public int ThirdPartyAssertions { get; set; }
    public int Evidence { get; set; }
    public int SupportingEvidence { get; set; }
    public int RefutingEvidence { get; set; }
    public int Reports { get; set; }
    public int Verdicts { get; set; }
    public int Corrections { get; set; }
}

/// <summary>The claim as people look at it, kept in the same transaction as every write, the same size however long the claim grows.</summary>
public sealed class ClaimSummary
{
    /// <summary>The list filters on columns copied from the document; the status column holds the enum's name or, in rows filled when it was added, the word.</summary>
    public static void ConfigureMarten(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(Status), "text");
        mapping.DuplicateField(nameof(Parties), "text[]");
        mapping.DuplicateField(nameof(Topics), "text[]");
        mapping.DuplicateField(nameof(Statement), "text");
        // the board finds the duplicates of the claims on its page by this column
        mapping.DuplicateField(nameof(DuplicateOf), "uuid");
        mapping.Indexes.Add(new DocumentIndex(mapping, "duplicate_of") { Name = "mt_doc_claimsummary_idx_duplicate_of" });
    }

    public Guid Id { get; set; }
    public string Statement { get; set; } = "";
    public string[] Parties { get; set; } = [];
    public string[] Topics { get; set; } = [];
    public Article FirstReport { get; set; } = new("", null, null, default);
    public ClaimStatus Status { get; set; }
    public PartyPosition[] Positions { get; set; } = [];
    public ClaimCounts Counts { get; set; } = new();
    public Verdict? Verdict { get; set; }
    public string? RetractionReason { get; set; }
    public PartyStatement?[]? Latest { get; set; }
    public PartyStatement?[]? NotConfirmed { get; set; }
    public Ruling? Ruling { get; set; }
    public ClaimRelation[] Relations { get; set; } = [];
    /// <summary>The claim this one is the same as (<see cref="RelationKind.SameAs"/>), under which the board lists it.</summary>
    public Guid? DuplicateOf { get; set; }
    public long Version { get; set; }
    public string RegisteredBy { get; set; } = "";
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }

    /// <summary>The write-side claim this summary shows (summaries stored before it kept <see cref="Latest"/> read it from their positions).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Claim State => new(Id, Version, Parties,
        Latest ?? Parties.Select(p => Positions.FirstOrDefault(x => x.Party == p)?.Because).ToArray(),
        Ruling ?? (Verdict is { } verdict ? new Ruling(Version, ConfirmationStatus.ForVerdict(verdict), LastChangedAt) : null),
        RetractionReason is not null,
        NotConfirmed ?? Parties.Select(p => Positions.FirstOrDefault(x => x.Party == p)?.NotConfirmed).ToArray()) { Relations = Relations };

    public void Show(Claim claim)
    {
        (Parties, Latest, Ruling, Version, NotConfirmed, Relations) = (claim.Parties, claim.Latest, claim.Ruling, claim.Version, claim.NotConfirmed, claim.Relations);
        DuplicateOf = ClaimRelation.DuplicateOf(claim.Relations);
        (Status, Positions) = (claim.Status, claim.Positions);
    }
}

public sealed partial class ClaimSummaryProjection : SingleStreamProjection<ClaimSummary, Guid>
{
    public override ClaimSummary? Evolve(ClaimSummary? summary, Guid id, IEvent e) => Fold(summary, e);

    public static ClaimSummary? Fold(ClaimSummary? summary, IEvent e)
    {
        var recordedAt = RecordedAt(e);
        Claim claim;
        if (e.Data is ClaimRegistered registered)
        {
            summary = new ClaimSummary
            {
                Id = registered.ClaimId,
                Statement = registered.Statement,
                Parties = registered.Parties,
                Topics = registered.Topics,
                FirstReport = registered.FirstReport,
                RegisteredBy = registered.RecordedBy,
                RegisteredAt = recordedAt,
            };
            claim = Claim.Create(registered) with { Version = e.Version };
        }
        else if (summary is null)
        {
            return null;
        }
        else
        {
            claim = summary.State.Then(e.Version, e.Data);
        }

        Count(summary, e.Data);
        summary.Show(claim);
        summary.LastChangedAt = recordedAt;
        return summary;
    }

    private static DateTimeOffset RecordedAt(IEvent e) => Json.Stored(e.Timestamp == default ? DateTimeOffset.UtcNow : e.Timestamp);

    private static void Count(ClaimSummary summary, object e)
    {
        var counts = summary.Counts;
        switch (e)
        {
            case StatementRecorded s:
                counts.Statements++;
                if (ClaimFacts.InvolvedParty(summary.Parties, s.Source.Party) is null)
                {
                    counts.ThirdPartyAssertions++;
                }
                else
                {
                    counts.PartyStatements++;
                }

                break;
            case EvidenceAttached evidence:
                counts.Evidence++;
                if (evidence.Bearing == Bearing.Supports)
                {
                    counts.SupportingEvidence++;
                }
                else
                {
                    counts.RefutingEvidence++;
                }

                break;
            case ClaimReported:
                counts.Reports++;
                break;
            case VerdictGiven verdict:
                counts.Verdicts++;
                summary.Verdict = verdict.Verdict;
                break;
            case ClaimCorrected corrected:
                counts.Corrections++;
                summary.Statement = corrected.Statement ?? summary.Statement;
                summary.FirstReport = corrected is { CorrectsVersion: 1, Article: { } article } ? article : summary.FirstReport;
                break;
            case VerdictWithdrawn:
                summary.Verdict = null;
                break;
            case ClaimRetracted retracted:
                summary.RetractionReason = retracted.Reason;
                break;
        }
    }
}
