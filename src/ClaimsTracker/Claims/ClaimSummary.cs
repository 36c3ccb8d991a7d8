using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten.Events.Aggregation;

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

/// <summary>The claim as people look at it, kept in the same transaction as every write.</summary>
public sealed class ClaimSummary
{
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
    public ClaimFacts Facts { get; set; } = ClaimFacts.Start([], default);
    public long Version { get; set; }
    public string RegisteredBy { get; set; } = "";
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }
}

public sealed partial class ClaimSummaryProjection : SingleStreamProjection<ClaimSummary, Guid>
{
    public override ClaimSummary? Evolve(ClaimSummary? summary, Guid id, IEvent e)
    {
        summary = Fold(summary, e);
        if (summary is not null)
        {
            Derive(summary);
        }

        return summary;
    }

    /// <summary>
    /// Folds one event without deriving the status: a fold over many events (the summary as of a recorded time)
    /// derives it once at the end with <see cref="Derive"/>, which gives what <see cref="Evolve"/> gives event by event.
    /// </summary>
    public static ClaimSummary? Fold(ClaimSummary? summary, IEvent e)
    {
        var recordedAt = RecordedAt(e);
        if (e.Data is ClaimRegistered registered)
        {
            summary = new ClaimSummary
            {
                Id = registered.ClaimId,
                Statement = registered.Statement,
                Parties = registered.Parties,
                Topics = registered.Topics,
                FirstReport = registered.FirstReport,
                Facts = ClaimFacts.Start(registered.Parties, registered.FirstReport.PublishedAt),
                RegisteredBy = registered.RecordedBy,
                RegisteredAt = recordedAt,
            };
        }

        if (summary is null)
        {
            return null;
        }

        Count(summary, e.Data);
        summary.Facts = summary.Facts.Then(e.Version, e.Data);
        summary.Version = e.Version;
        summary.LastChangedAt = recordedAt;
        return summary;
    }

    /// <summary>The status and party positions from the facts folded so far.</summary>
    public static void Derive(ClaimSummary summary) => (summary.Status, summary.Positions) = ConfirmationStatus.At(summary.Facts);

    private static DateTimeOffset RecordedAt(IEvent e) => Json.Stored(e.Timestamp == default ? DateTimeOffset.UtcNow : e.Timestamp);

    private static void Count(ClaimSummary summary, object e)
    {
        var counts = summary.Counts;
        switch (e)
        {
            case StatementRecorded s:
                counts.Statements++;
                if (summary.Facts.InvolvedParty(s.Source.Party) is null)
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
                break;
            case ClaimRetracted retracted:
                summary.RetractionReason = retracted.Reason;
                break;
        }
    }
}
