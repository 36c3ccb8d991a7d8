using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace ClaimsTracker.Audit;

/// <summary>The claim summary exactly as it stood after event <see cref="Version"/>, recorded at <see cref="RecordedAt"/>.</summary>
public sealed class SummaryCheckpoint
{
    public string Id { get; set; } = "";
    public Guid ClaimId { get; set; }
    public long Version { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public ClaimSummary Summary { get; set; } = new();

    public static SummaryCheckpoint Of(ClaimSummary summary, IEvent e) => new()
    {
        Id = $"{e.StreamId:N}/{e.Version}", ClaimId = e.StreamId, Version = e.Version, RecordedAt = e.Timestamp,
        Summary = summary,
    };
}

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
        return await Fold(session, claimId, checkpoint, long.MaxValue, asOf, ct);
    }

    /// <summary>Folds the claim's events after <paramref name="from"/>, up to a version and a recorded time.</summary>
    public static async Task<ClaimSummary?> Fold(
        IQuerySession session, Guid claimId, SummaryCheckpoint? from, long untilVersion, DateTimeOffset asOf, CancellationToken ct)
    {
        // the fold mutates the summary: start from a copy, or a checkpoint taken earlier in the same daemon batch
        // would be stored with the state of a later one
        var summary = from is null ? null : Json.Copy(from.Summary);
        var after = from?.Version ?? 0;
        var folded = false;
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == claimId && e.Version > after && e.Version <= untilVersion && e.Timestamp <= asOf)
                .OrderBy(e => e.Version).Take(PageSize).ToListAsync(ct);
            foreach (var e in page)
            {
                summary = ClaimSummaryProjection.Fold(summary, e);
                folded = true;
            }

            if (page.Count < PageSize)
            {
                // the status depends only on the facts: derived once for the whole fold, not once per event
                if (folded && summary is not null)
                {
                    ClaimSummaryProjection.Derive(summary);
                }

                return summary;
            }

            after = page[^1].Version;
        }
    }
}

/// <summary>
/// Keeps a summary checkpoint every <see cref="Every"/> events of each claim, off the write path (async daemon):
/// each one folds at most <see cref="Every"/> events on top of the one before. Events never change, so a
/// checkpoint never goes stale; verify still replays from the log itself.
/// </summary>
public sealed class SummaryCheckpointProjection : IProjection
{
    public const int Every = 100;

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var taken = new Dictionary<Guid, SummaryCheckpoint>();
        foreach (var e in events.Where(e => e.Version % Every == 0 && e.Version > 0))
        {
            var from = taken.GetValueOrDefault(e.StreamId) ?? await operations.Query<SummaryCheckpoint>()
                .Where(c => c.ClaimId == e.StreamId && c.Version < e.Version)
                .OrderByDescending(c => c.Version)
                .FirstOrDefaultAsync(cancellation);
            var summary = await SummaryAsOf.Fold(operations, e.StreamId, from, e.Version, DateTimeOffset.MaxValue, cancellation);
            if (summary is null)
            {
                continue;
            }

            var checkpoint = SummaryCheckpoint.Of(summary, e);
            operations.Store(checkpoint);
            taken[e.StreamId] = checkpoint;
        }
    }
}
