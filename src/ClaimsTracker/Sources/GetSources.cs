using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Sources;

/// <summary>
/// How what a source confirmed or denied compares with where each claim stands now: a confirmation is upheld while the
/// claim is confirmed or partially confirmed and contradicted while it is refuted or denied, a denial the other way
/// round, and either is open otherwise (or while the claim has no summary).
/// </summary>
public sealed record TrackRecord(int Confirmations, int Denials, int Upheld, int Contradicted, int Open);

public sealed record SourceStatementView(
    Guid ClaimId, string ClaimStatement, ClaimStatus ClaimStatus, long Version, Stance Stance, string? Quote,
    DateTimeOffset StatedAt, string? Party, QuoteKind QuoteKind = QuoteKind.Direct, TimePrecision StatedAtPrecision = TimePrecision.Instant);

/// <summary>A source in the list: who it is, how many statements it made and its track record.</summary>
public sealed record SourceView(
    string Id, string Name, string? Role, string? Party, int StatementCount, TrackRecord TrackRecord,
    IReadOnlyList<SourceStatementView>? Statements);

public sealed record SourceList(IReadOnlyList<SourceView> Items, int Total);

/// <summary>
/// One source with one page of its statements, newest first (by when they were said in the world):
/// <see cref="StatementCount"/> is how many there are in all.
/// </summary>
public sealed record SourceDetail(
    string Id, string Name, string? Role, string? Party, int StatementCount, TrackRecord TrackRecord,
    IReadOnlyList<SourceStatementView> Statements, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (int)Math.Ceiling(StatementCount / (double)PageSize));
}

public static class GetSourcesEndpoint
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    [WolverineGet("/api/sources", OperationId = "ListSources")]
    [Tags("Sources")]
    [EndpointSummary("Sources with their track record")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<SourceList> List(IQuerySession session, CancellationToken ct)
    {
        var items = (await SourceTally.All(session, ct)).Select(t => t.View()).ToList();
        return new SourceList(items, items.Count);
    }

    [WolverineGet("/api/sources/{sourceId}", OperationId = "GetSource")]
    [Tags("Sources")]
    [EndpointSummary("One source, a page of its statements (newest first) and its track record")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<SourceDetail>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(string sourceId, [FromQuery] PageQuery paging, IQuerySession session, CancellationToken ct)
    {
        if (paging.Check(MaxPageSize) is { Status: not null } invalid)
        {
            return invalid.ToResult();
        }

        return await Detail(session, sourceId, paging.Paging(DefaultPageSize).Number, paging.Paging(DefaultPageSize).Size, ct) is { } source
            ? Results.Ok(source)
            : Results.Problem(statusCode: 404, title: "Unknown source",
                detail: $"No source has the id '{sourceId}'. List the sources with GET /api/sources.");
    }

    /// <summary>
    /// The source, its track record and one page of its statements: the page through the index on source and world
    /// time, and the wording and status of only that page's claims.
    /// </summary>
    public static async Task<SourceDetail?> Detail(IQuerySession session, string sourceId, int page, int pageSize, CancellationToken ct)
    {
        if (await SourceTally.One(session, sourceId, ct) is not { } tally)
        {
            return null;
        }

        var skip = new Paging(page, pageSize).Offset;
        var statements = skip >= tally.Statements
            ? []
            : await session.Query<SourceStatement>()
                .Where(s => s.SourceId == sourceId)
                .OrderByDescending(s => s.StatedAt).ThenByDescending(s => s.Id)
                .Skip((int)Math.Min(skip, int.MaxValue)).Take(pageSize)
                .ToListAsync(ct);
        var claims = await ClaimsOf(session, statements.Select(s => s.ClaimId), ct);
        var views = statements.Select(s => new SourceStatementView(
            s.ClaimId, claims.GetValueOrDefault(s.ClaimId)?.Statement ?? "", claims.GetValueOrDefault(s.ClaimId)?.Status ?? ClaimStatus.Unconfirmed,
            s.ClaimVersion, s.Stance, s.Quote, s.StatedAt, s.Party, s.QuoteKind, s.StatedAtPrecision)).ToList();
        return new SourceDetail(tally.Id, tally.Name, tally.Role, tally.Party, tally.Statements, tally.TrackRecord(), views, page, pageSize);
    }

    private sealed record ClaimGlance(Guid Id, string Statement, ClaimStatus Status);

    /// <summary>
    /// The wording and status of the given claims, selected out of the summaries in PostgreSQL: the summaries
    /// themselves carry all of their claims' facts.
    /// </summary>
    private static async Task<IReadOnlyDictionary<Guid, ClaimGlance>> ClaimsOf(IQuerySession session, IEnumerable<Guid> claimIds, CancellationToken ct)
    {
        var ids = claimIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<Guid, ClaimGlance>();
        }

        var claims = await session.Query<ClaimSummary>()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Statement, c.Status })
            .ToListAsync(ct);
        return claims.ToDictionary(c => c.Id, c => new ClaimGlance(c.Id, c.Statement, c.Status));
    }
}

/// <summary>
/// A source's profile with its statements counted in PostgreSQL: every statement, and its confirmations and denials
/// against each claim's status as the claims expose it (<see cref="ClaimStatusSql"/>), from the statements'
/// index on source, stance and claim. Nothing but the counts leaves the database.
/// </summary>
internal sealed record SourceTally(
    string Id, string Name, string? Role, string? Party, int Statements, int Confirmations, int Denials, int Upheld, int Contradicted)
{
    public TrackRecord TrackRecord() => new(Confirmations, Denials, Upheld, Contradicted, Confirmations + Denials - Upheld - Contradicted);

    public SourceView View() => new(Id, Name, Role, Party, Statements, TrackRecord(), null);

    public static async Task<IReadOnlyList<SourceTally>> All(IQuerySession session, CancellationToken ct) =>
        await session.AdvancedSql.QueryAsync<SourceTally>(Sql(one: false), ct);

    public static async Task<SourceTally?> One(IQuerySession session, string sourceId, CancellationToken ct) =>
        (await session.AdvancedSql.QueryAsync<SourceTally>(Sql(one: true), ct, sourceId, sourceId)).SingleOrDefault();

    private const string StatementTable = $"{ClaimsStore.Schema}.mt_doc_sourcestatement";
    private const string ProfileTable = $"{ClaimsStore.Schema}.mt_doc_sourceprofile";

    /// <summary>
    /// Both spellings of a stance as its column may hold it: the enum's name as Marten writes a duplicated enum, or the
    /// stored word of a row filled from the JSON when the column was added.
    /// </summary>
    private static string Either<TEnum>(params TEnum[] values) where TEnum : struct, Enum =>
        string.Join(", ", values.SelectMany(v => new[] { v.ToString(), Words.Of(v) }).Distinct().Select(w => $"'{w}'"));

    private static readonly string Confirms = $"s.stance in ({Either(Stance.Confirms)})";
    private static readonly string Denies = $"s.stance in ({Either(Stance.Denies)})";
    private static readonly string Confirmed = ClaimStatusSql.In("c.status", ClaimStatus.Confirmed, ClaimStatus.PartiallyConfirmed);
    private static readonly string Refuted = ClaimStatusSql.In("c.status", ClaimStatus.Refuted, ClaimStatus.Denied);

    /// <summary>
    /// Every profile by name, or the one whose id is the (twice given) parameter, each with its counts (id and JSON,
    /// as Marten reads a type with an id from SQL of one's own): the
    /// statements grouped by source in one pass, with the claims' status (a hash of one narrow column per claim)
    /// joined only to confirmations and denials.
    /// </summary>
    private static string Sql(bool one) => $"""
        select p.id, json_build_object('id', p.id, 'name', p.data ->> 'name', 'role', p.data ->> 'role', 'party', p.data ->> 'party',
            'statements', coalesce(t.statements, 0), 'confirmations', coalesce(t.confirmations, 0), 'denials', coalesce(t.denials, 0),
            'upheld', coalesce(t.upheld, 0), 'contradicted', coalesce(t.contradicted, 0))
        from {ProfileTable} as p
        left join (
            select s.source_id, count(*) as statements,
                count(*) filter (where {Confirms}) as confirmations,
                count(*) filter (where {Denies}) as denials,
                count(*) filter (where ({Confirms} and {Confirmed}) or ({Denies} and {Refuted})) as upheld,
                count(*) filter (where ({Confirms} and {Refuted}) or ({Denies} and {Confirmed})) as contradicted
            from {StatementTable} as s left join {ClaimStatusSql.Relation} as c on c.id = s.claim_id and ({Confirms} or {Denies})
            {(one ? "where s.source_id = ?" : "")}
            group by s.source_id) as t on t.source_id = p.id
        {(one ? "where p.id = ?" : "")}
        order by p.data ->> 'name', p.id
        """;
}
