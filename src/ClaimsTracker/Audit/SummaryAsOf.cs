using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;

namespace ClaimsTracker.Audit;

/// <summary>The claim summary exactly as it stood after event <see cref="Version"/>, recorded at <see cref="RecordedAt"/>.</summary>
public sealed class SummaryCheckpoint
{
    public string Id { get; set; } = "";
    public Guid ClaimId { get; set; }
    public long Version { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public ClaimSummary Summary { get; set; } = new();
}

/// <summary>
/// "What did we show at recorded time T" without replaying a long stream per request: start from the latest
/// checkpoint recorded by T and fold only the events after it. Checkpoints are taken every
/// <see cref="Every"/> events the first time a replay passes them; events are never updated, so a checkpoint
/// never goes stale (and verify still replays from the log itself).
/// </summary>
public static class SummaryAsOf
{
    public const int Every = 100;
    private const int PageSize = 1000;

    public static async Task<ClaimSummary?> Find(IQuerySession session, Guid claimId, DateTimeOffset asOf, CancellationToken ct)
    {
        var checkpoint = await session.Query<SummaryCheckpoint>()
            .Where(c => c.ClaimId == claimId && c.RecordedAt <= asOf)
            .OrderByDescending(c => c.Version)
            .FirstOrDefaultAsync(ct);
        var summary = checkpoint?.Summary;
        var after = checkpoint?.Version ?? 0;
        var projection = new ClaimSummaryProjection();
        var taken = new List<SummaryCheckpoint>();
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == claimId && e.Version > after && e.Timestamp <= asOf)
                .OrderBy(e => e.Version).Take(PageSize).ToListAsync(ct);
            foreach (var e in page)
            {
                summary = projection.Evolve(summary, claimId, e);
                if (summary is not null && e.Version % Every == 0)
                {
                    taken.Add(new SummaryCheckpoint
                    {
                        Id = $"{claimId:N}/{e.Version}", ClaimId = claimId, Version = e.Version, RecordedAt = e.Timestamp,
                        Summary = JsonSerializer.Deserialize<ClaimSummary>(JsonSerializer.Serialize(summary, Json.Options), Json.Options)!,
                    });
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Version;
        }

        if (taken.Count > 0)
        {
            await using var writer = session.DocumentStore.LightweightSession();
            writer.Store(taken.ToArray());
            await writer.SaveChangesAsync(ct);
        }

        return summary;
    }
}
