using System.Diagnostics;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using Marten;

namespace ClaimsTracker.Claims;

/// <summary>Group commit: writes arriving during a commit share the next transaction, each decided alone and acknowledged once it is durable.</summary>
public sealed partial class ClaimCommits(
    IDocumentStore store, PartyNames partyNames, TimeProvider clock, IConfiguration configuration, ILogger<ClaimCommits> logger)
    : IHostedService
{
    /// <summary>The most writes one commit takes; a burst larger than this goes in several.</summary>
    public const int MaxBatch = 256;

    private readonly Lane[] _lanes = Enumerable.Range(0, Math.Max(1, configuration.GetValue("Writes:CommitLanes", 4)))
        .Select(_ => new Lane()).ToArray();
    private readonly Dictionary<Guid, (Lane Lane, int Pending)> _claimLanes = [];

    public Task<WriteOutcome> Submit(ClaimWrite write, WriteRequest request)
    {
        var pending = new Pending(write, request);
        var lane = Route(pending);
        if (!lane.Queue.Writer.TryWrite(pending))
        {
            Done(pending);
            throw new ObjectDisposedException("the service is stopping");
        }

        return pending.Outcome.Task;
    }

    public Task StartAsync(CancellationToken ct)
    {
        foreach (var lane in _lanes)
        {
            lane.Committing = Task.Run(() => Run(lane), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var lane in _lanes)
        {
            lane.Queue.Writer.TryComplete();
        }

        await Task.WhenAll(_lanes.Select(l => l.Committing)).WaitAsync(ct);
    }

    private async Task Run(Lane lane)
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = lane.Queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            // a write that looks facts up commits on its own, so that what it reads is committed
            while (batch.Count < MaxBatch && reader.TryPeek(out var next)
                   && !(next.Write.Command is ILooksUp && batch.Count > 0) && reader.TryRead(out next))
            {
                batch.Add(next);
                if (next.Write.Command is ILooksUp)
                {
                    break;
                }
            }

            try
            {
                await Commit(batch);
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                {
                    WriteDuration.Record(Stopwatch.GetElapsedTime(pending.Arrived).TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));
                    pending.Outcome.TrySetException(e);
                }

                logger.LogDebug(e, "A commit of {Count} writes failed", batch.Count);
            }

            foreach (var pending in batch)
            {
                Done(pending);
            }

            batch.Clear();
        }
    }
}
