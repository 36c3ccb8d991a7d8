using ClaimsTracker.Infrastructure;
using Marten;
using Marten.Linq.MatchesSql;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record ClaimListItem(
    Guid Id, string Statement, ClaimStatus Status, PartyView[] Parties, string[] Topics, ClaimCounts Counts,
    long Version, DateTimeOffset LastChangedAt)
{
    public static ClaimListItem Of(ClaimSummary s) => new(s.Id, s.Statement, s.Status,
        s.Positions.Select(p => new PartyView(p.Party, p.Stance, p.Because?.Version, p.Because?.SourceName, null, p.Because?.StatedAt)).ToArray(),
        s.Topics, s.Counts, s.Version, s.LastChangedAt);
}

public sealed record ClaimPage(IReadOnlyList<ClaimListItem> Items, long Total, int Page, int PageSize);

public sealed record ClaimFilter(string? Status, string? Party, string? Topic, string? Q, int? Page, int? PageSize)
{
    public const int MaxPageSize = 200;

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? 50;

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

    public IQueryable<ClaimSummary> Apply(IQueryable<ClaimSummary> query)
    {
        if (Words.TryParse<ClaimStatus>(Status, out var status))
        {
            query = query.Where(x => x.MatchesSql("d.data ->> 'status' = ?", Words.Of(status)));
        }

        if (!string.IsNullOrWhiteSpace(Party))
        {
            query = query.Where(x => x.MatchesSql(
                "exists (select 1 from jsonb_array_elements_text(d.data -> 'parties') p where lower(p) = lower(?))", Party.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(Topic))
        {
            query = query.Where(x => x.MatchesSql("d.data -> 'topics' @> jsonb_build_array(?::text)", Topic.Trim().ToLowerInvariant()));
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var text = Q.Trim();
            query = query.Where(x => x.Statement.Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        return query.OrderByDescending(x => x.LastChangedAt);
    }
}

public static class ListClaimsEndpoint
{
    [WolverineGet("/api/claims", OperationId = "ListClaims")]
    [Tags("Claims")]
    [EndpointSummary("List claims, filtered and paged")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ClaimPage>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get([FromQuery] ClaimFilter filter, IQuerySession session, CancellationToken ct)
    {
        if (filter.Check() is { Status: not null } invalid)
        {
            return invalid.ToResult();
        }

        var page = await filter.Apply(session.Query<ClaimSummary>()).ToPagedListAsync(filter.PageNumber, filter.Size, ct);
        return Results.Ok(new ClaimPage(page.Select(ClaimListItem.Of).ToList(), page.TotalItemCount, filter.PageNumber, filter.Size));
    }
}
