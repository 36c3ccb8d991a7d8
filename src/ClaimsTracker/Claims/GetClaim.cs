using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record PartyView(
    string Party, PartyStance Stance, long? BecauseOf, string? Source, string? Quote, DateTimeOffset? StatedAt);

public sealed record ClaimView(
    Guid Id, string Statement, ClaimStatus Status, long Version, PartyView[] Parties, string[] Topics,
    Article FirstReport, ClaimCounts Counts, Verdict? Verdict, string? RetractionReason, string RegisteredBy,
    DateTimeOffset RegisteredAt, DateTimeOffset LastChangedAt, DateTimeOffset? AsOf, DateTimeOffset? WorldAt)
{
    public static ClaimView Of(ClaimSummary summary, DateTimeOffset? asOf = null, DateTimeOffset? worldAt = null)
    {
        var (status, positions) = worldAt is null
            ? (summary.Status, summary.Positions)
            : ConfirmationStatus.At(summary.Facts, worldAt);
        return new(summary.Id, summary.Statement, status, summary.Version,
            positions.Select(p => new PartyView(p.Party, p.Stance, p.Because?.Version, p.Because?.SourceName,
                p.Because?.Quote, p.Because?.StatedAt)).ToArray(),
            summary.Topics, summary.FirstReport, summary.Counts, summary.Verdict, summary.RetractionReason,
            summary.RegisteredBy, summary.RegisteredAt, summary.LastChangedAt, asOf, worldAt);
    }
}

public static class GetClaimEndpoint
{
    public static ProblemDetails Validate(string? asOf, string? worldAt) => new Validation()
        .Instant("asOf", asOf)
        .Instant("worldAt", worldAt)
        .Result();

    [WolverineGet("/api/claims/{claimId}", OperationId = "GetClaim")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ClaimView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid claimId, string? asOf, string? worldAt, IQuerySession session, CancellationToken ct)
    {
        var recordedAt = Validation.ParseInstant(asOf);
        var summary = await Load(session, claimId, recordedAt, ct);
        return summary is null
            ? Problems.UnknownClaim(claimId).ToResult()
            : Results.Ok(ClaimView.Of(summary, recordedAt, Validation.ParseInstant(worldAt)));
    }

    /// <summary>The summary now, or as it stood at recorded time <paramref name="asOf"/>, replayed from the events.</summary>
    public static async Task<ClaimSummary?> Load(IQuerySession session, Guid claimId, DateTimeOffset? asOf, CancellationToken ct) =>
        asOf is { } t
            ? await session.Events.AggregateStreamAsync<ClaimSummary>(claimId, timestamp: t, token: ct)
            : await session.LoadAsync<ClaimSummary>(claimId, ct);
}
