using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace ClaimsTracker.Claims;

/// <summary>The claim summary exactly as it stood after event <see cref="Version"/>, recorded at <see cref="RecordedAt"/>.</summary>
public sealed class SummaryCheckpoint
{
    public string Id { get; set; } = "";
    public Guid ClaimId { get; set; }
    public long Version { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public ClaimSummary Summary { get; set; } = new();

    public static string IdOf(Guid claimId, long version) => $"{claimId:N}/{version}";

    public static SummaryCheckpoint Of(ClaimSummary summary, IEvent e) => new()
    {
        Id = IdOf(e.StreamId, e.Version), ClaimId = e.StreamId, Version = e.Version, RecordedAt = e.Timestamp,
        Summary = summary,
    };
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
        var due = events.Where(e => e.Version % Every == 0 && e.Version > 0).ToList();
        if (due.Count == 0)
        {
            return;
        }

        // the checkpoint before each is the one Every versions back: load them all in one round trip by id
        var wanted = due.Where(e => e.Version > Every).Select(e => SummaryCheckpoint.IdOf(e.StreamId, e.Version - Every)).Distinct().ToArray();
        var found = wanted.Length == 0
            ? new Dictionary<string, SummaryCheckpoint>()
            : (await operations.LoadManyAsync<SummaryCheckpoint>(cancellation, wanted)).ToDictionary(c => c.Id);
        var pages = events.GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Version).ToList());
        var taken = new Dictionary<Guid, SummaryCheckpoint>();
        var projection = new ClaimSummaryProjection();
        foreach (var e in due)
        {
            var from = taken.GetValueOrDefault(e.StreamId)
                ?? (e.Version > Every ? found.GetValueOrDefault(SummaryCheckpoint.IdOf(e.StreamId, e.Version - Every)) : null)
                ?? (e.Version > Every
                    ? await operations.Query<SummaryCheckpoint>()
                        .Where(c => c.ClaimId == e.StreamId && c.Version < e.Version)
                        .OrderByDescending(c => c.Version)
                        .FirstOrDefaultAsync(cancellation)
                    : null);
            var summary = await Fold(operations, projection, e.StreamId, from, e.Version, pages[e.StreamId], cancellation);
            if (summary is null)
            {
                continue;
            }

            var checkpoint = SummaryCheckpoint.Of(summary, e);
            operations.Store(checkpoint);
            taken[e.StreamId] = checkpoint;
        }
    }

    /// <summary>
    /// The summary at <paramref name="version"/>: the events of this page are folded in memory, only those before it
    /// are read from the database (a rebuild's pages hold most of a claim's events, so most checkpoints read none).
    /// </summary>
    private static async Task<ClaimSummary?> Fold(
        IDocumentOperations operations, ClaimSummaryProjection projection, Guid claimId, SummaryCheckpoint? from, long version,
        List<IEvent> page, CancellationToken cancellation)
    {
        var after = from?.Version ?? 0;
        var here = page.Where(x => x.Version > after && x.Version <= version).ToList();
        var contiguous = here.Count > 0 && here[^1].Version == version && here[^1].Version - here[0].Version == here.Count - 1;
        if (!contiguous)
        {
            return await SummaryAsOf.Fold(operations, claimId, from, version, DateTimeOffset.MaxValue, cancellation);
        }

        var summary = here[0].Version > after + 1
            ? await SummaryAsOf.Fold(operations, claimId, from, here[0].Version - 1, DateTimeOffset.MaxValue, cancellation)
            : from is null ? null : Json.Copy(from.Summary);
        foreach (var x in here)
        {
            summary = projection.Evolve(summary, claimId, x);
        }

        return summary;
    }
}
