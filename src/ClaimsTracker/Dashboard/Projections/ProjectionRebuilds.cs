using System.Collections.Concurrent;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events.Daemon;
using Marten;

namespace ClaimsTracker.Dashboard;

public enum RebuildState { Running, Finished, Failed }

public sealed record Rebuilds([property: System.Text.Json.Serialization.JsonPropertyName("rebuilds")] IReadOnlyList<Rebuild> Items);

public sealed record Rebuild(string Projection, RebuildState State, string StartedBy, DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt, string? Error, string? Progress = null);

/// <summary>
/// Rebuilds of async projections that an admin started, one at a time per projection. The rebuild runs on the
/// daemon in the background; its progress is the shard's position, which the projections status reads.
/// </summary>
public sealed class ProjectionRebuilds(
    IDocumentStore store, LocalDaemon local, LiveFeed feed, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<ProjectionRebuilds> logger)
{
    private readonly ConcurrentDictionary<string, Rebuild> _latest = new(StringComparer.Ordinal);

    /// <summary>The projections kept in each write's transaction; rebuilt claim by claim under the writers' own lock.</summary>
    public static readonly IReadOnlyList<string> Inline = [nameof(ClaimSummary), nameof(ClaimFact)];

    public Rebuild? Latest(string projection) => _latest.GetValueOrDefault(projection);

    /// <summary>
    /// Starts a rebuild unless one is running already; returns the rebuild that is now under way. The members of a
    /// composite projection are rebuilt together, in one pass of its shard, and each shows that rebuild under its name.
    /// </summary>
    public Rebuild Start(string projection, string startedBy)
    {
        var shards = ProjectionShard.All(store);
        var runBy = shards.FirstOrDefault(s => s.Name == projection)?.RunBy.Name ?? projection;
        var together = shards.Where(s => s.RunBy.Name == runBy).Select(s => s.Name).DefaultIfEmpty(projection).ToList();
        lock (_latest)
        {
            if (_latest.GetValueOrDefault(projection) is { State: RebuildState.Running } running)
            {
                return running;
            }

            var started = new Rebuild(projection, RebuildState.Running, startedBy, clock.GetUtcNow(), null, null);
            together.ForEach(name => _latest[name] = started with { Projection = name });
            _ = Task.Run(() => Run(started, runBy, together), lifetime.ApplicationStopping);
            return started;
        }
    }

    private async Task Run(Rebuild rebuild, string runBy, List<string> together)
    {
        try
        {
            if (Inline.Contains(rebuild.Projection))
            {
                await RebuildInline(rebuild, lifetime.ApplicationStopping);
                ClaimListing.Forget(store);
                feed.Publish(new LiveChange(DaemonProgressRelay.Topic, "{}"));
                return;
            }

            var daemon = await local.Get();
            await RebuildAsync(daemon, runBy, lifetime.ApplicationStopping);
            // a rebuild on a running daemon leaves the projection's agent stopped: without this it would stop
            // following new events (the projections page showed it falling behind after a rebuild)
            foreach (var shard in store.Advanced.AllAsyncProjectionShardNames().Where(s => s.Name == runBy))
            {
                await daemon.StartAgentAsync(shard, lifetime.ApplicationStopping);
            }

            together.ForEach(name => _latest[name] = rebuild with { Projection = name, State = RebuildState.Finished, EndedAt = clock.GetUtcNow() });
        }
        catch (Exception e)
        {
            logger.LogError(e, "Rebuilding projection {Projection} failed", runBy);
            together.ForEach(name => _latest[name] = rebuild with
            {
                Projection = name, State = RebuildState.Failed, EndedAt = clock.GetUtcNow(), Error = $"{e.GetType().Name}: {e.Message}",
            });
        }

        feed.Publish(new LiveChange(DaemonProgressRelay.Topic, "{}"));
    }

    /// <summary>
    /// Marten's rebuild, run again (up to three times in all) when it met the projection's agent recording its first
    /// progress: on a store where the projection had not run yet, the agent's first batch and the rebuild both insert
    /// the projection's progression row, and the rebuild failed on the duplicate. Stopping and draining the agent
    /// before the rebuild did not prevent it (the daemon's coordinator can start the agent again meanwhile). A rebuild
    /// starts from nothing, so running it again is safe.
    /// </summary>
    private async Task RebuildAsync(IProjectionDaemon daemon, string projection, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(5), ct);
                return;
            }
            catch (Exception e) when (attempt < 3 && FirstProgressRace(e))
            {
                logger.LogWarning("Rebuilding {Projection} met its agent's first progress; starting it again", projection);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }

    /// <summary>A duplicate progression row: the unique violation, on the progression table (Marten's message names the statement).</summary>
    internal static bool FirstProgressRace(Exception e)
    {
        var duplicate = false;
        var progression = false;
        for (Exception? next = e; next is not null; next = next.InnerException)
        {
            duplicate |= next is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };
            progression |= next.Message.Contains("mt_event_progression", StringComparison.Ordinal);
        }

        return duplicate && progression;
    }

    /// <summary>
    /// Rebuilds an inline projection while the service takes writes: each claim's document is replayed from its events
    /// and stored while holding the claim's stream lock, the same lock every write to that claim takes, so a write
    /// can neither be missed by the rebuild nor overwritten by it.
    /// </summary>
    private async Task RebuildInline(Rebuild rebuild, CancellationToken ct)
    {
        List<Guid> claims;
        await using (var query = store.QuerySession())
        {
            claims = (await query.Events.QueryAllRawEvents().Where(e => e.Version == 1).Select(e => e.StreamId).ToListAsync(ct)).ToList();
        }

        for (var done = 0; done < claims.Count; done++)
        {
            await using var session = store.LightweightSession();
            await session.BeginTransactionAsync(ct);
            await using var lockStream = new Npgsql.NpgsqlCommand(
                $"select 1 from {ClaimsStore.Schema}.mt_streams where id = $1 for update", session.Connection);
            lockStream.Parameters.AddWithValue(claims[done]);
            if (await lockStream.ExecuteScalarAsync(ct) is not null)
            {
                if (rebuild.Projection == nameof(ClaimSummary)
                    && await session.Events.AggregateStreamAsync<ClaimSummary>(claims[done], token: ct) is { } summary)
                {
                    session.Store(summary);
                }
                else if (rebuild.Projection == nameof(ClaimFact))
                {
                    var id = claims[done];
                    session.DeleteWhere<ClaimFact>(f => f.ClaimId == id);
                    session.Store(ClaimFact.Rows(await session.Events.FetchStreamAsync(id, token: ct)).ToArray());
                }

                await session.SaveChangesAsync(ct);
            }

            _latest[rebuild.Projection] = rebuild with { Progress = $"{done + 1} of {claims.Count} claims" };
        }

        _latest[rebuild.Projection] = rebuild with
        {
            State = RebuildState.Finished, EndedAt = clock.GetUtcNow(), Progress = $"{claims.Count} of {claims.Count} claims",
        };
    }
}
