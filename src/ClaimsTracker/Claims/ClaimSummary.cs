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

/// <summary>The claim as people look at it, kept in the same transaction as every write.</summary>
public sealed class ClaimSummary
{
    /// <summary>
    /// Marten calls this when it maps the document. The list's filters (status, party, topic, q) read columns copied
    /// from the document on every write (filled from the stored JSON when a column is first added), never the JSON: a
    /// summary carries every fact of its claim, so its document is TOASTed (110 KB of JSON on average, up to 1.2 MB,
    /// in the bench's bulk store) and a filter on it unpacked every summary of the table (about 300 ms for 10,000).
    /// No index on them: a scan of the narrow columns counts 10,000 summaries in about 2 ms, and PostgreSQL did not
    /// choose a GIN index on them at that size (while each would be one more index entry on every write).
    /// The status column holds the enum's name as written (Marten's duplicated enums as strings, ClaimsStore), or the
    /// stored word (partially_confirmed) in rows filled from the JSON when the column was added:
    /// <see cref="ClaimFilter.Sql"/> matches either.
    /// </summary>
    public static void ConfigureMarten(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(Status), "text");
        mapping.DuplicateField(nameof(Parties), "text[]");
        mapping.DuplicateField(nameof(Topics), "text[]");
        mapping.DuplicateField(nameof(Statement), "text");
    }

    public Guid Id { get; set; }
    public string Statement { get; set; } = "";
    public string[] Parties { get; set; } = [];
    public string[] Topics { get; set; } = [];
    public Article FirstReport { get; set; } = new("", null, null, default);
    private ClaimStatus? _status;
    private PartyPosition[]? _positions;

    /// <summary>Derived from <see cref="Facts"/> when first read after <see cref="Rederive"/> (or as stored).</summary>
    public ClaimStatus Status
    {
        get => _status ?? Derive().Status;
        set => _status = value;
    }

    public PartyPosition[] Positions
    {
        get => _positions ?? Derive().Positions;
        set => _positions = value;
    }
    public ClaimCounts Counts { get; set; } = new();
    public Verdict? Verdict { get; set; }
    public string? RetractionReason { get; set; }
    public ClaimFacts Facts { get; set; } = ClaimFacts.Start([], default);
    public long Version { get; set; }
    public string RegisteredBy { get; set; } = "";
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }

    /// <summary>
    /// The facts changed: status and positions follow from them when next read. A rebuild folding a claim's events
    /// one by one so derives them once, when the summary is stored, not after every event.
    /// </summary>
    public void Rederive() => (_status, _positions) = (null, null);

    private (ClaimStatus Status, PartyPosition[] Positions) Derive()
    {
        var (status, positions) = ConfirmationStatus.At(Facts);
        (_status, _positions) = (_status ?? status, _positions ?? positions);
        return (_status.Value, _positions);
    }
}

public sealed partial class ClaimSummaryProjection : SingleStreamProjection<ClaimSummary, Guid>
{
    /// <summary>Status and positions follow lazily from the facts, so a rebuild derives them once per stored summary.</summary>
    public override ClaimSummary? Evolve(ClaimSummary? summary, Guid id, IEvent e) => Fold(summary, e);

    /// <summary>
    /// Folds one event without deriving the status: it follows from the facts when first read, or from
    /// <see cref="Derive"/> at the end of a fold over many events (the summary as of a recorded time).
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
        summary.Rederive();
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
