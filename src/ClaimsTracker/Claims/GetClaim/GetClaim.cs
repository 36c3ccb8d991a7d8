using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

/// <summary>A party's stance and the statement behind it; <see cref="NotConfirmedAt"/> dates the latest report that it has not confirmed.</summary>
public sealed record PartyView(
    string Party, PartyStance Stance, long? BecauseOf, string? Source, string? Quote, DateTimeOffset? StatedAt,
    QuoteKind? QuoteKind = null, DateTimeOffset? NotConfirmedAt = null, TimePrecision? StatedAtPrecision = null);

public sealed record ClaimView(
    Guid Id, string Statement, ClaimStatus Status, long Version, PartyView[] Parties, string[] Topics,
    Article FirstReport, ClaimCounts Counts, Verdict? Verdict, string? RetractionReason, string RegisteredBy,
    DateTimeOffset RegisteredAt, DateTimeOffset LastChangedAt, DateTimeOffset? AsOf, DateTimeOffset? WorldAt,
    RelatedClaimView[]? Relations = null, Premise? Premise = null)
{
    /// <summary>With the claims <paramref name="relations"/> names, as they read now (the premise too).</summary>
    public async Task<ClaimView> Related(ClaimRelation[] relations, IQuerySession session, CancellationToken ct)
    {
        var others = relations.Length == 0
            ? new Dictionary<Guid, ClaimSummary>()
            : (await session.LoadManyAsync<ClaimSummary>(ct, relations.Select(r => r.ClaimId).ToArray())).ToDictionary(o => o.Id);
        return this with
        {
            Relations = relations.Where(r => others.ContainsKey(r.ClaimId))
                .Select(r => new RelatedClaimView(r.Kind, r.ClaimId, others[r.ClaimId].Statement, others[r.ClaimId].Status, r.Note)).ToArray(),
            Premise = ClaimRelation.PremiseOf(relations, id => others.TryGetValue(id, out var o) ? o.Status : null),
        };
    }

    /// <summary>The claim as summarised, or, given <paramref name="facts"/>, at world time <paramref name="worldAt"/>.</summary>
    public static ClaimView Of(ClaimSummary summary, DateTimeOffset? asOf = null, DateTimeOffset? worldAt = null, ClaimFacts? facts = null)
    {
        var (status, positions) = worldAt is null || facts is null
            ? (summary.Status, summary.Positions)
            : ConfirmationStatus.At(facts, worldAt);
        return new(summary.Id, summary.Statement, status, summary.Version,
            positions.Select(p => new PartyView(p.Party, p.Stance, p.Because?.Version, p.Because?.SourceName,
                p.Because?.Quote, p.Because?.StatedAt, p.Because?.QuoteKind, p.NotConfirmed?.StatedAt, p.Because?.StatedAtPrecision)).ToArray(),
            summary.Topics, summary.FirstReport, summary.Counts, summary.Verdict, summary.RetractionReason,
            summary.RegisteredBy, summary.RegisteredAt, summary.LastChangedAt, asOf, worldAt);
    }
}

/// <summary>The two clocks: as recorded at <c>asOf</c>, and the status at world time <c>worldAt</c>.</summary>
public sealed record TimeQuery(string? AsOf, string? WorldAt)
{
    public DateTimeOffset? RecordedAt() => Validation.ParseInstant(AsOf);

    public DateTimeOffset? World() => Validation.ParseInstant(WorldAt);

    public ProblemDetails Check() => new Validation().Instant("asOf", AsOf).Instant("worldAt", WorldAt).Result();
}

public static class GetClaimEndpoint
{
    [ClaimSizedRead]
    [WolverineGet("/api/claims/{claimId}", OperationId = "GetClaim")]
    [Tags("Claims")]
    [EndpointSummary("The claim now, as recorded at asOf, or at world time worldAt")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ClaimView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid claimId, [FromQuery] TimeQuery time, IQuerySession session, CancellationToken ct)
    {
        if (time.Check() is { Status: not null } invalid)
        {
            return invalid.ToResult();
        }

        var summary = await Find(session, claimId, time.RecordedAt(), ct);
        if (summary is null)
        {
            return ClaimProblems.UnknownClaim(claimId).ToResult();
        }

        var facts = time.World() is null ? null : await SummaryAsOf.Facts(session, summary, time.RecordedAt(), ct);
        return Results.Ok(await ClaimView.Of(summary, time.RecordedAt(), time.World(), facts).Related(summary.Relations, session, ct));
    }

    /// <summary>The summary now, or as it stood at recorded time <paramref name="asOf"/> (from its nearest checkpoint).</summary>
    private static async Task<ClaimSummary?> Find(IQuerySession session, Guid claimId, DateTimeOffset? asOf, CancellationToken ct) =>
        asOf is { } t
            ? await SummaryAsOf.Find(session, claimId, t, ct)
            : await session.LoadAsync<ClaimSummary>(claimId, ct);
}
