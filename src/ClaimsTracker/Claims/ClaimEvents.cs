using System.Text.Json.Serialization;

namespace ClaimsTracker.Claims;

// Stored names (ClaimsStore.MapEvents) are the contract; the classes may be renamed freely.

public sealed record Article(
    string Outlet, string? Url, string? Headline, DateTimeOffset PublishedAt, TimePrecision PublishedAtPrecision = TimePrecision.Instant);

public sealed record Source(string Name, string? Role, string? Party);

public sealed record ClaimRegistered(
    Guid ClaimId, string Statement, string[] Parties, string[] Topics, Article FirstReport, string RecordedBy);

public sealed record ClaimReported(Guid ClaimId, Article Article, string RecordedBy);

public sealed record StatementRecorded(
    Guid ClaimId, Source Source, Stance Stance, string? Quote, DateTimeOffset StatedAt, Article? ReportedIn,
    string RecordedBy, QuoteKind QuoteKind = QuoteKind.Direct, TimePrecision StatedAtPrecision = TimePrecision.Instant);

public sealed record EvidenceAttached(
    Guid ClaimId, string Kind, string? Url, string Description, Bearing Bearing, DateTimeOffset ObservedAt,
    string RecordedBy, TimePrecision ObservedAtPrecision = TimePrecision.Instant);

/// <summary>A rating on the reviewer's own scale, as ClaimReview's reviewRating has it: the name verbatim, the numbers when given.</summary>
public sealed record Rating(string Name, decimal? Value = null, decimal? Best = null, decimal? Worst = null);

public sealed record Reviewer(string Name, string? Url = null);

/// <summary>An editor's ruling; the ClaimReview fields are left out of verdicts that have none, as verdicts before them were stored.</summary>
public sealed record VerdictGiven(
    Guid ClaimId, Verdict Verdict, string Rationale, DateTimeOffset GivenAt, string RecordedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Claimant = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Rating? Rating = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Reviewer? ReviewedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Citations = null);

/// <summary>Lifts the verdict in force: the status is derived from the parties' words again from then on.</summary>
public sealed record VerdictWithdrawn(Guid ClaimId, string Reason, DateTimeOffset WithdrawnAt, string RecordedBy);

/// <summary><see cref="Standings"/> says where the correction leaves each party it moves (null in corrections recorded before it was kept).</summary>
public sealed record ClaimCorrected(
    Guid ClaimId, string Reason, long? CorrectsVersion, string? SourceName, string? Statement, Stance? Stance,
    DateTimeOffset? StatedAt, string? Quote, DateTimeOffset CorrectedAt, string RecordedBy, PartyStanding[]? Standings = null,
    Source? Source = null, QuoteKind? QuoteKind = null, TimePrecision? StatedAtPrecision = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Article? Article = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Parties = null)
{
    /// <summary>Whether it changes what an earlier statement says or who said it (not only the claim's text).</summary>
    public bool ChangesStatement => CorrectsVersion is not null
        && (Stance is not null || StatedAt is not null || Quote is not null || Source is not null || QuoteKind is not null);
}

public sealed record ClaimRetracted(Guid ClaimId, string Reason, DateTimeOffset RetractedAt, string RecordedBy);

/// <summary>The claim names another as its premise, its duplicate or its contradiction; relating again replaces the kind and note.</summary>
public sealed record ClaimRelated(Guid ClaimId, RelationKind Kind, Guid OtherClaimId, string? Note, DateTimeOffset RelatedAt, string RecordedBy);

public sealed record ClaimUnrelated(Guid ClaimId, Guid OtherClaimId, DateTimeOffset UnrelatedAt, string RecordedBy);
