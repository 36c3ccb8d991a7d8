using ClaimsTracker.Infrastructure;
using Marten;

namespace ClaimsTracker.Claims;

/// <summary>
/// "What did we show at recorded time T" without replaying a long stream per request: start from the latest
/// checkpoint recorded by T and fold only the events after it (fewer than <see cref="SummaryCheckpointProjection.Every"/>
/// once the daemon has caught up).
/// </summary>
public static class SummaryAsOf
{
    private const int PageSize = 1000;

    public static async Task<ClaimSummary?> Find(IQuerySession session, Guid claimId, DateTimeOffset asOf, CancellationToken ct)
    {
        var checkpoint = await session.Query<SummaryCheckpoint>()
            .Where(c => c.ClaimId == claimId && c.RecordedAt <= asOf)
            .OrderByDescending(c => c.Version)
            .FirstOrDefaultAsync(ct);
        // just read for this request, so the fold may change it in place: no copy of a long claim's facts
        return await Fold(session, claimId, checkpoint, long.MaxValue, asOf, ct, fromIsOwned: true);
    }

    /// <summary>The facts the status is derived from, as recorded by <paramref name="asOf"/> (null: as they are now).</summary>
    public static async Task<ClaimFacts> Facts(IQuerySession session, ClaimSummary summary, DateTimeOffset? asOf, CancellationToken ct)
    {
        if (asOf is not { } t)
        {
            return await ClaimFact.Of(session, summary.Id, summary.Parties, summary.FirstReport.PublishedAt, ct);
        }

        var facts = ClaimFacts.Start(summary.Parties, summary.FirstReport.PublishedAt);
        var after = 0L;
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == summary.Id && e.Version > after && e.Timestamp <= t)
                .OrderBy(e => e.Version).Take(PageSize).ToListAsync(ct);
            facts = page.Aggregate(facts, (f, e) => f.Then(e.Version, e.Data));
            if (page.Count < PageSize)
            {
                return facts;
            }

            after = page[^1].Version;
        }
    }

    /// <summary>Folds the claim's events after <paramref name="from"/>, up to a version and a recorded time.</summary>
    public static async Task<ClaimSummary?> Fold(
        IQuerySession session, Guid claimId, SummaryCheckpoint? from, long untilVersion, DateTimeOffset asOf, CancellationToken ct,
        bool fromIsOwned = false)
    {
        // the fold mutates the summary: unless the caller owns the checkpoint, start from a copy, or a checkpoint taken
        // earlier in the same daemon batch would be stored with the state of a later one
        var summary = from is null ? null : fromIsOwned ? from.Summary : Json.Copy(from.Summary);
        var after = from?.Version ?? 0;
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == claimId && e.Version > after && e.Version <= untilVersion && e.Timestamp <= asOf)
                .OrderBy(e => e.Version).Take(PageSize).ToListAsync(ct);
            foreach (var e in page)
            {
                summary = ClaimSummaryProjection.Fold(summary, e);
            }

            if (page.Count < PageSize)
            {
                return summary;
            }

            after = page[^1].Version;
        }
    }
}
