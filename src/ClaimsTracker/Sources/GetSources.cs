using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace ClaimsTracker.Sources;

/// <summary>How what a source confirmed or denied compares with where each claim stands now.</summary>
public sealed record TrackRecord(int Confirmations, int Denials, int Upheld, int Contradicted, int Open)
{
    public static TrackRecord Of(IEnumerable<SourceStatement> statements, IReadOnlyDictionary<Guid, ClaimGlance> claims)
    {
        int confirmations = 0, denials = 0, upheld = 0, contradicted = 0, open = 0;
        foreach (var s in statements.Where(s => s.Stance is Stance.Confirms or Stance.Denies))
        {
            var status = claims.GetValueOrDefault(s.ClaimId)?.Status ?? ClaimStatus.Unconfirmed;
            var confirmed = status is ClaimStatus.Confirmed or ClaimStatus.PartiallyConfirmed;
            var refuted = status is ClaimStatus.Refuted or ClaimStatus.Denied;
            if (s.Stance == Stance.Confirms)
            {
                confirmations++;
            }
            else
            {
                denials++;
            }

            if ((s.Stance == Stance.Confirms && confirmed) || (s.Stance == Stance.Denies && refuted))
            {
                upheld++;
            }
            else if ((s.Stance == Stance.Confirms && refuted) || (s.Stance == Stance.Denies && confirmed))
            {
                contradicted++;
            }
            else
            {
                open++;
            }
        }

        return new(confirmations, denials, upheld, contradicted, open);
    }
}

/// <summary>What the sources' views show of a claim: its wording and where it stands now.</summary>
public sealed record ClaimGlance(Guid Id, string Statement, ClaimStatus Status);

public sealed record SourceStatementView(
    Guid ClaimId, string ClaimStatement, ClaimStatus ClaimStatus, long Version, Stance Stance, string? Quote,
    DateTimeOffset StatedAt, string? Party);

public sealed record SourceView(
    string Id, string Name, string? Role, string? Party, int StatementCount, TrackRecord TrackRecord,
    IReadOnlyList<SourceStatementView>? Statements);

public sealed record SourceList(IReadOnlyList<SourceView> Items, int Total);

public static class GetSourcesEndpoint
{
    [WolverineGet("/api/sources", OperationId = "ListSources")]
    [Tags("Sources")]
    [EndpointSummary("Sources with their track record")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<SourceList> List(IQuerySession session, CancellationToken ct)
    {
        var profiles = await session.Query<SourceProfile>().OrderBy(x => x.Name).ToListAsync(ct);
        var claims = await ClaimsOf(session, profiles, ct);
        var items = profiles.Select(p => View(p, claims, withStatements: false)).ToList();
        return new SourceList(items, items.Count);
    }

    [WolverineGet("/api/sources/{sourceId}", OperationId = "GetSource")]
    [Tags("Sources")]
    [EndpointSummary("One source, its statements and track record")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Get(string sourceId, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<SourceProfile>(sourceId, ct) is not { } profile)
        {
            return Results.Problem(statusCode: 404, title: "Unknown source",
                detail: $"No source has the id '{sourceId}'. List the sources with GET /api/sources.");
        }

        var claims = await ClaimsOf(session, [profile], ct);
        return Results.Ok(View(profile, claims, withStatements: true));
    }

    /// <summary>
    /// The wording and status of every claim the sources spoke on, selected out of the summaries in PostgreSQL: the
    /// summaries themselves carry all of their claims' facts (on a store of 10,000 claims and 1,000,000 events, loading
    /// them whole took the sources list to 2.7-3.6 s and the service to 980 MB).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, ClaimGlance>> ClaimsOf(
        IQuerySession session, IEnumerable<SourceProfile> profiles, CancellationToken ct)
    {
        var ids = profiles.SelectMany(p => p.Statements).Select(s => s.ClaimId).Distinct().ToArray();
        var claims = await session.Query<ClaimSummary>()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Statement, c.Status })
            .ToListAsync(ct);
        return claims.ToDictionary(c => c.Id, c => new ClaimGlance(c.Id, c.Statement, c.Status));
    }

    public static SourceView View(SourceProfile profile, IReadOnlyDictionary<Guid, ClaimGlance> claims, bool withStatements) => new(
        profile.Id, profile.Name, profile.Role, profile.Party, profile.Statements.Count,
        TrackRecord.Of(profile.Statements, claims),
        withStatements
            ? profile.Statements.OrderByDescending(s => s.StatedAt).Select(s => new SourceStatementView(
                s.ClaimId, claims.GetValueOrDefault(s.ClaimId)?.Statement ?? "", claims.GetValueOrDefault(s.ClaimId)?.Status ?? ClaimStatus.Unconfirmed,
                s.Version, s.Stance, s.Quote, s.StatedAt, s.Party)).ToList()
            : null);
}
