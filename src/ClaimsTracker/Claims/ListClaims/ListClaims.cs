using System.Collections.Concurrent;
using System.Text.Json;
using ClaimsTracker.Infrastructure;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ClaimsTracker.Claims;

public sealed record ClaimListItem(
    Guid Id, string Statement, ClaimStatus Status, PartyView[] Parties, string[] Topics, ClaimCounts Counts,
    long Version, DateTimeOffset LastChangedAt, Guid? DuplicateOf = null)
{
    public static ClaimListItem Of(ClaimSummary s) => new(s.Id, s.Statement, s.Status,
        s.Positions.Select(p => new PartyView(p.Party, p.Stance, p.Because?.Version, p.Because?.SourceName, null, p.Because?.StatedAt)).ToArray(),
        s.Topics, s.Counts, s.Version, s.LastChangedAt, s.DuplicateOf);
}

public sealed record ClaimPage(IReadOnlyList<ClaimListItem> Items, long Total, int Page, int PageSize);

public sealed record ClaimFilter(string? Status, string? Party, string? Topic, string? Q, int? Page, int? PageSize)
{
    public const int MaxPageSize = 200;

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? 50;

    public Paging Paging => new(PageNumber, Size);

    public ProblemDetails Check()
    {
        var validation = new Validation()
            .Text("party", Party, 100, required: false)
            .Text("topic", Topic, 60, required: false)
            .Text("q", Q, 200, required: false);
        if (Status is not null)
        {
            validation.Word<ClaimStatus>("status", Status);
        }

        return validation.Range("page", Page, 1, int.MaxValue).Range("pageSize", PageSize, 1, MaxPageSize).Result();
    }

    public async Task<ClaimFilter> Resolved(Parties.PartyNames names, IQuerySession session, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(Party) && await names.Resolve(session, Party, ct) is { } party ? this with { Party = party.Name } : this;

    /// <summary>The filters as SQL on the summaries (alias d), for <see cref="ClaimListing"/>, which pages with its own SQL.</summary>
    public (string Where, object[] Parameters) Sql()
    {
        var conditions = new List<string>();
        var parameters = new List<object>();
        // the status as the enum's name, or as the stored word in rows filled from the JSON
        if (Words.TryParse<ClaimStatus>(Status, out var status))
        {
            conditions.Add("d.status in (?, ?)");
            parameters.Add(status.ToString());
            parameters.Add(Words.Of(status));
        }

        if (!string.IsNullOrWhiteSpace(Party))
        {
            conditions.Add("exists (select 1 from unnest(d.parties) p where lower(p) = lower(?))");
            parameters.Add(Party.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Topic))
        {
            conditions.Add("d.topics @> array[?::text]");
            parameters.Add(Topic.Trim().ToLowerInvariant());
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            // contains, ignoring case: the text matched literally, its LIKE wildcards escaped
            conditions.Add("d.statement ilike ?");
            parameters.Add("%" + Q.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal) + "%");
        }

        return (conditions.Count == 0 ? "" : " where " + string.Join(" and ", conditions), parameters.ToArray());
    }

    public bool Matches(ClaimSummary s) =>
        (!Words.TryParse<ClaimStatus>(Status, out var status) || s.Status == status) &&
        (string.IsNullOrWhiteSpace(Party) || s.Parties.Any(p => string.Equals(p, Party.Trim(), StringComparison.OrdinalIgnoreCase))) &&
        (string.IsNullOrWhiteSpace(Topic) || s.Topics.Contains(Topic.Trim().ToLowerInvariant())) &&
        (string.IsNullOrWhiteSpace(Q) || s.Statement.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase));
}

public static class ListClaimsEndpoint
{
    [WolverineGet("/api/claims", OperationId = "ListClaims")]
    [Tags("Claims")]
    [EndpointSummary("List claims, filtered and paged")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ClaimPage>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        [FromQuery] ClaimFilter filter, [FromQuery] TimeQuery time, IQuerySession session, IOptions<HttpJsonOptions> json,
        Parties.PartyNames names, CancellationToken ct)
    {
        if (filter.Check() is { Status: not null } invalid)
        {
            return invalid.ToResult();
        }

        filter = await filter.Resolved(names, session, ct);

        if (time.Check() is { Status: not null } invalidTime)
        {
            return invalidTime.ToResult();
        }

        if (time.RecordedAt() is not null || time.World() is not null)
        {
            return Results.Ok(await At(filter, time.RecordedAt(), time.World(), session, ct));
        }

        // the page's JSON is made once while the page is kept, not per request
        var listed = await ClaimListing.Current(session, filter, ct);
        var body = listed.Rendered("json", page => JsonSerializer.SerializeToUtf8Bytes(
            new ClaimPage(page.Items, page.Total, filter.PageNumber, filter.Size), json.Value.SerializerOptions));
        return Results.Bytes(body, "application/json; charset=utf-8");
    }

    /// <summary>The list as it stood at <paramref name="asOf"/> and/or with statuses at <paramref name="worldAt"/>, rebuilt from checkpoints.</summary>
    public static async Task<ClaimPage> At(
        ClaimFilter filter, DateTimeOffset? asOf, DateTimeOffset? worldAt, IQuerySession session, CancellationToken ct)
    {
        var query = session.Query<ClaimSummary>().AsQueryable();
        if (asOf is { } registeredBy)
        {
            query = query.Where(s => s.RegisteredAt <= registeredBy);
        }

        var summaries = new List<ClaimSummary>();
        foreach (var current in await query.ToListAsync(ct))
        {
            var summary = asOf is { } t && current.LastChangedAt > t
                ? await SummaryAsOf.Find(session, current.Id, t, ct)
                : current;
            if (summary is null)
            {
                continue;
            }

            if (worldAt is not null)
            {
                (summary.Status, summary.Positions) = ConfirmationStatus.At(await SummaryAsOf.Facts(session, summary, asOf, ct), worldAt);
            }

            if (filter.Matches(summary))
            {
                summaries.Add(summary);
            }
        }

        var items = filter.Paging.Of(summaries.OrderByDescending(s => s.LastChangedAt)).Select(ClaimListItem.Of).ToList();
        return new ClaimPage(items, summaries.Count, filter.PageNumber, filter.Size);
    }
}

/// <summary>One page of the live list, found by id along the last-change index so an offset never unpacks the summaries it skips.</summary>
public static class ClaimListing
{
    private const string Table = $"{ClaimsStore.Schema}.mt_doc_claimsummary";

    // the sum of every stream's version grows with each committed append, whatever order appends commit in
    private const string AppendsCommitted = $"select coalesce(sum(version), 0)::bigint from {ClaimsStore.Schema}.mt_streams";

    // two equal snapshots see the same committed transactions; unlike the sum it costs nothing as streams multiply
    private const string Snapshot = "select pg_current_snapshot()::text";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDocumentStore, KeptPages> Caches = new();

    public static async Task<ListedClaims> Current(IQuerySession session, ClaimFilter filter, CancellationToken ct)
    {
        var (where, parameters) = filter.Sql();
        var skip = filter.Paging.Offset;
        var cache = Caches.GetValue(session.DocumentStore, _ => new KeptPages());
        var key = string.Join('\u0001', [where, .. parameters, filter.Size, skip]);
        var seen = await Scalar<string>(session, Snapshot, ct);
        long? appends = null;
        if (cache.Find(key) is { } kept)
        {
            if (kept.Snapshot == seen)
            {
                return kept.Listing;
            }

            // something committed since (the daemon's bookkeeping does, several times a second): if no append did, the page stands
            appends = await Scalar<long>(session, AppendsCommitted, ct);
            if (appends == kept.Appends)
            {
                cache.Keep(key, kept with { Snapshot = seen });
                return kept.Listing;
            }
        }

        var before = appends ?? await Scalar<long>(session, AppendsCommitted, ct);
        var total = (await session.QueryAsync<long>($"select count(*) from {Table} as d{where}", ct, parameters)).Single();
        var page = skip >= total
            ? []
            : await session.QueryAsync<ClaimSummary>(
                $"""
                select d.data - 'facts' from {Table} as d
                where d.id = any(array(select d.id from {Table} as d{where} order by d.last_changed_at desc, d.id limit {filter.Size} offset {skip}))
                order by d.last_changed_at desc, d.id
                """, ct, parameters);
        var listing = new ListedClaims(page.Select(ClaimListItem.Of).ToList(), total);
        // no append committed from before the count to after the page, so both saw the summaries as they are at that mark
        if (await Scalar<long>(session, AppendsCommitted, ct) == before)
        {
            cache.Keep(key, new KeptPage(seen, before, listing));
        }

        return listing;
    }

    /// <summary>Drops this node's kept pages: after summaries were rewritten without an append (a rebuild).</summary>
    public static void Forget(IDocumentStore store) => Caches.GetValue(store, _ => new KeptPages()).Clear();

    private static async Task<T> Scalar<T>(IQuerySession session, string sql, CancellationToken ct) =>
        (await session.QueryAsync<T>(sql, ct)).Single();

    // the snapshot was taken before the page was read, so a later equal one means nothing has committed since the page
    private sealed record KeptPage(string Snapshot, long Appends, ListedClaims Listing);

    // a summary changes only with an append, so while the appends-committed mark stands a kept page is what a new read would return
    private sealed class KeptPages
    {
        private const int Capacity = 256;
        private readonly ConcurrentDictionary<string, KeptPage> _pages = new();

        public KeptPage? Find(string key) => _pages.GetValueOrDefault(key);

        public void Keep(string key, KeptPage page)
        {
            if (_pages.Count >= Capacity)
            {
                _pages.Clear();
            }

            _pages[key] = page;
        }

        public void Clear() => _pages.Clear();
    }
}

/// <summary>A page as read at one appends-committed mark, with its JSON and board rows, so a kept page is not rendered again.</summary>
public sealed class ListedClaims(IReadOnlyList<ClaimListItem> items, long total)
{
    // the ways one page is shown: the API's JSON, and the board's rows for each spelling of its filters in the links
    private const int MaxRenderings = 8;
    private readonly ConcurrentDictionary<string, object> _renderings = new();

    public IReadOnlyList<ClaimListItem> Items { get; } = items;

    public long Total { get; } = total;

    public T Rendered<T>(string key, Func<ListedClaims, T> render) where T : notnull
    {
        if (_renderings.TryGetValue(key, out var kept))
        {
            return (T)kept;
        }

        var made = render(this);
        if (_renderings.Count < MaxRenderings)
        {
            _renderings.TryAdd(key, made);
        }

        return made;
    }
}
