namespace ClaimsTracker.Claims;

// The claim stream's events. Their stored names (ClaimsStore.MapEvents) are the contract; the
// classes may be renamed freely. Each event carries its claim, who recorded it, and its world time.

public sealed record Article(
    string Outlet, string? Url, string? Headline, DateTimeOffset PublishedAt, TimePrecision PublishedAtPrecision = TimePrecision.Instant);

public sealed record Source(string Name, string? Role, string? Party);

public sealed record ClaimRegistered(
    Guid ClaimId, string Statement, string[] Parties, string[] Topics, Article FirstReport, string RecordedBy);

public sealed record ClaimReported(Guid ClaimId, Article Article, string RecordedBy);

public sealed record StatementRecorded(
    Guid ClaimId, Source Source, Stance Stance, string? Quote, DateTimeOffset StatedAt, Article? ReportedIn,
    string RecordedBy, TimePrecision StatedAtPrecision = TimePrecision.Instant);

public sealed record EvidenceAttached(
    Guid ClaimId, string Kind, string? Url, string Description, Bearing Bearing, DateTimeOffset ObservedAt,
    string RecordedBy, TimePrecision ObservedAtPrecision = TimePrecision.Instant);

public sealed record VerdictGiven(Guid ClaimId, Verdict Verdict, string Rationale, DateTimeOffset GivenAt, string RecordedBy);

/// <summary>
/// Corrects the claim's text, or an earlier statement (by its version, naming its source): stance, world time or quote.
/// <see cref="Standings"/> says where the correction leaves each party it moves, so the claim folds it without its
/// other statements (null in corrections recorded before it was kept).
/// </summary>
public sealed record ClaimCorrected(
    Guid ClaimId, string Reason, long? CorrectsVersion, string? SourceName, string? Statement, Stance? Stance,
    DateTimeOffset? StatedAt, string? Quote, DateTimeOffset CorrectedAt, string RecordedBy, PartyStanding[]? Standings = null,
    TimePrecision? StatedAtPrecision = null);

public sealed record ClaimRetracted(Guid ClaimId, string Reason, DateTimeOffset RetractedAt, string RecordedBy);

/// <summary>The claim names another as its premise, its duplicate or its contradiction; relating again replaces the kind and note.</summary>
public sealed record ClaimRelated(Guid ClaimId, RelationKind Kind, Guid OtherClaimId, string? Note, DateTimeOffset RelatedAt, string RecordedBy);

public sealed record ClaimUnrelated(Guid ClaimId, Guid OtherClaimId, DateTimeOffset UnrelatedAt, string RecordedBy);
