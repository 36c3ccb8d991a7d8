using JasperFx.Events;
using Marten;

namespace ClaimsTracker.Claims;

/// <summary>Reads of one claim's stream that cost the page they serve, not the stream's length.</summary>
public static class ClaimStream
{
    /// <summary>The events of versions <paramref name="first"/> to <paramref name="last"/>, by the stream's (id, version) index.</summary>
    public static async Task<IReadOnlyList<IEvent>> Versions(
        IQuerySession session, Guid claimId, long first, long last, CancellationToken ct) =>
        first > last
            ? []
            : await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == claimId && e.Version >= first && e.Version <= last)
                .OrderBy(e => e.Version).ToListAsync(ct);

    /// <summary>The claim's latest version, or null when there is no such claim.</summary>
    public static async Task<long?> Length(IQuerySession session, Guid claimId, CancellationToken ct) =>
        (await session.Events.FetchStreamStateAsync(claimId, ct))?.Version;

    /// <summary>The summary just before <paramref name="version"/>: the nearest checkpoint, then the few events after it.</summary>
    public static async Task<ClaimSummary?> Before(IQuerySession session, Guid claimId, long version, CancellationToken ct)
    {
        if (version <= 1)
        {
            return null;
        }

        var checkpoint = await session.Query<SummaryCheckpoint>()
            .Where(c => c.ClaimId == claimId && c.Version < version)
            .OrderByDescending(c => c.Version)
            .FirstOrDefaultAsync(ct);
        return await SummaryAsOf.Fold(session, claimId, checkpoint, version - 1, DateTimeOffset.MaxValue, ct, fromIsOwned: true);
    }
}
