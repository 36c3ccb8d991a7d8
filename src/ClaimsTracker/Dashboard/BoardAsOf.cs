using ClaimsTracker.Claims;
using Marten;

namespace ClaimsTracker.Dashboard;

/// <summary>One page of the board: the claims on it and where it sits among all that match.</summary>
public sealed record BoardPage<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total)
{
    public long PageCount => Total == 0 ? 0 : (Total + PageSize - 1) / PageSize;
}

/// <summary>
/// The board as ClaimsTracker recorded it at a past moment: every event recorded by then, folded by the same
/// projection that keeps the live board, then filtered, sorted and paged like it. It reads every event up to that
/// moment, so it costs what a replay costs; the live board reads the kept summaries instead.
/// </summary>
public static class BoardAsOf
{
    public static async Task<BoardPage<ClaimListItem>> Page(IQuerySession session, ClaimFilter filter, DateTimeOffset at, CancellationToken ct)
    {
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Timestamp <= at)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        var projection = new ClaimSummaryProjection();
        var summaries = new Dictionary<Guid, ClaimSummary>();
        foreach (var e in events)
        {
            if (projection.Evolve(summaries.GetValueOrDefault(e.StreamId), e.StreamId, e) is { } summary)
            {
                summaries[e.StreamId] = summary;
            }
        }

        var matching = summaries.Values.Where(s => Matches(s, filter)).OrderByDescending(s => s.LastChangedAt).ToList();
        var items = matching.Skip((filter.PageNumber - 1) * filter.Size).Take(filter.Size).Select(ClaimListItem.Of).ToList();
        return new BoardPage<ClaimListItem>(items, filter.PageNumber, filter.Size, matching.Count);
    }

    /// <summary>The board's filters (<see cref="ClaimFilter.Apply"/>) over summaries in memory.</summary>
    private static bool Matches(ClaimSummary s, ClaimFilter filter) =>
        (!Words.TryParse<ClaimStatus>(filter.Status, out var status) || s.Status == status) &&
        (string.IsNullOrWhiteSpace(filter.Party) || s.Parties.Contains(filter.Party.Trim(), StringComparer.OrdinalIgnoreCase)) &&
        (string.IsNullOrWhiteSpace(filter.Topic) || s.Topics.Contains(filter.Topic.Trim(), StringComparer.OrdinalIgnoreCase)) &&
        (string.IsNullOrWhiteSpace(filter.Q) || s.Statement.Contains(filter.Q.Trim(), StringComparison.OrdinalIgnoreCase));
}
