using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Audit;

/// <summary>The API's own field checks on each imported event, so an import takes nothing a write would have refused.</summary>
public static class ImportChecks
{
    public static IEnumerable<string> Of(ImportedEvent e, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var envelope = new Validation().Time("recordedAt", e.RecordedAt, now);
        Token(envelope, "correlationId", e.CorrelationId);
        Token(envelope, "idempotencyKey", ExportedEvent.IdempotencyKeyOf(e.Headers));
        return Named(null, envelope.Result()).Concat(OfData(e.Data, clock, now));
    }

    private static IEnumerable<string> OfData(object data, TimeProvider clock, DateTimeOffset now) => data switch
    {
        ClaimRegistered e => Named("data", RegisterClaimEndpoint.Validate(
            new RegisterClaim(e.Statement, e.Parties, e.Topics, Input(e.FirstReport)), clock)),
        // the report's command is the article itself: its fields sit under data.article in the event
        ClaimReported e => Named("data.article", ReportClaimEndpoint.Validate(
            new ReportClaim(e.Article?.Outlet, e.Article?.Url, e.Article?.Headline, Given(e.Article?.PublishedAt), null), clock)),
        StatementRecorded e => Named("data", RecordStatementEndpoint.Validate(
            new RecordStatement(e.Source is { } s ? new SourceInput(s.Name, s.Role, s.Party) : null, Words.Of(e.Stance), e.Quote,
                Given(e.StatedAt), Input(e.ReportedIn), null, Words.Of(e.QuoteKind)), clock)),
        EvidenceAttached e => Named("data", AttachEvidenceEndpoint.Validate(
            new AttachEvidence(e.Kind, e.Url, e.Description, Words.Of(e.Bearing), Given(e.ObservedAt), null), clock)),
        VerdictGiven e => Named("data", GiveVerdictEndpoint.Validate(new GiveVerdict(Words.Of(e.Verdict), e.Rationale, null, e.Claimant,
                e.Rating is { } r ? new RatingInput(r.Name, r.Value, r.Best, r.Worst) : null,
                e.ReviewedBy is { } by ? new ReviewerInput(by.Name, by.Url) : null, e.Citations)))
            .Concat(Named("data", new Validation().Time("givenAt", Given(e.GivenAt), now).Result())),
        VerdictWithdrawn e => Named("data", WithdrawVerdictEndpoint.Validate(new WithdrawVerdict(e.Reason, null)))
            .Concat(Named("data", new Validation().Time("withdrawnAt", Given(e.WithdrawnAt), now).Result())),
        ClaimCorrected e => Named("data", CorrectClaimEndpoint.Validate(
                new CorrectClaim(e.Reason, e.Statement, e.CorrectsVersion, e.Stance is { } stance ? Words.Of(stance) : null,
                    e.StatedAt, e.Quote, null, e.Source is { } to ? new SourceInput(to.Name, to.Role, to.Party) : null,
                    e.QuoteKind is { } kind ? Words.Of(kind) : null, e.Url, e.Description, Input(e.Article), e.Parties), clock))
            .Concat(Named("data", new Validation().Time("correctedAt", Given(e.CorrectedAt), now)
                .Text("sourceName", e.SourceName, SourceInput.MaxNameLength, required: false).Result())),
        ClaimRetracted e => Named("data", RetractClaimEndpoint.Validate(new RetractClaim(e.Reason, null)))
            .Concat(Named("data", new Validation().Time("retractedAt", Given(e.RetractedAt), now).Result())),
        ClaimRelated e => Named("data", RelateClaimEndpoint.Validate(new RelateClaim(Words.Of(e.Kind), e.OtherClaimId, e.Note, null)))
            .Concat(Named("data", new Validation().Time("relatedAt", Given(e.RelatedAt), now).Result())),
        ClaimUnrelated e => Named("data", new Validation().Time("unrelatedAt", Given(e.UnrelatedAt), now).Result()),
        PartyRegistered e => Named("data", RegisterPartyEndpoint.Validate(new RegisterParty(e.Name, e.Aliases, e.Wikidata))),
        PartyAliasAdded e => Named("data", AddPartyAliasEndpoint.Validate(new AddPartyAlias(e.Alias))),
        _ => [],
    };

    private static ArticleInput? Input(Article? article) =>
        article is null ? null : new ArticleInput(article.Outlet, article.Url, article.Headline, Given(article.PublishedAt));

    /// <summary>A time the JSON left out reads as the default instant: the time rule then asks for one.</summary>
    private static DateTimeOffset? Given(DateTimeOffset? time) => time == default(DateTimeOffset) ? null : time;

    private static void Token(Validation validation, string field, string? value)
    {
        if (value is not null && !WriteRequest.IsToken(value))
        {
            validation.Error(field, $"must be {WriteRequest.TokenRule}, as the API takes it in its header");
        }
    }

    private static IEnumerable<string> Named(string? prefix, ProblemDetails problem) =>
        Problems.ErrorsOf(problem).SelectMany(field => field.Value.Select(message =>
            $"{string.Join('.', new[] { prefix, field.Key }.Where(p => !string.IsNullOrEmpty(p)))} {message}"));
}
