using System.Text.Json;
using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Services;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// After a write commits, the inline claim summary has already moved: tell the open pages which claims changed
/// and to what, straight from the committed change set (no query, no polling).
/// </summary>
public sealed class ClaimChangesListener(LiveFeed feed) : DocumentSessionListenerBase
{
    public const string Topic = "claim";

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var summaries = commit.Updated.Concat(commit.Inserted).OfType<ClaimSummary>().ToDictionary(s => s.Id);
        foreach (var stream in commit.GetStreams())
        {
            var summary = summaries.GetValueOrDefault(stream.Id);
            feed.Publish(new LiveChange(Topic, JsonSerializer.Serialize(new
            {
                id = stream.Id,
                version = summary?.Version ?? stream.Version,
                status = summary is null ? null : Words.Of(summary.Status),
            })));
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Forwards the async daemon's own progress reports (its shard state tracker) to the open pages, so the
/// projections page follows each projection's position as the daemon advances it, and the public log's batches
/// where this node integrates them.
/// </summary>
public sealed class DaemonProgressRelay(LocalDaemon local, LiveFeed feed, LogStatus log, ILogger<DaemonProgressRelay> logger)
    : BackgroundService, IObserver<ShardState>
{
    public const string Topic = "projections";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        log.BatchIntegrated += LogIntegrated;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        log.BatchIntegrated -= LogIntegrated;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // in cluster mode Wolverine builds this node's daemon shortly after start
            var daemon = await local.TryGet();
            while (daemon is null)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                daemon = await local.TryGet();
            }

            using var subscription = daemon.Tracker.Subscribe(this);
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The projections page will not update live: the daemon's progress cannot be observed");
        }
    }

    private void LogIntegrated(long size, TimeSpan delay) =>
        feed.Publish(new LiveChange(Topic, JsonSerializer.Serialize(new { log = size })));

    public void OnNext(ShardState value) =>
        feed.Publish(new LiveChange(Topic, JsonSerializer.Serialize(new { shard = value.ShardName, sequence = value.Sequence })));

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}
