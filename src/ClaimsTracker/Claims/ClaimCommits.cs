using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events;
using ClaimsTracker.Parties;
using Npgsql;

namespace ClaimsTracker.Claims;

/// <summary>
/// Group commit: the writes that arrive while a commit is under way go in the next, together, in one transaction.
/// Each write is decided in arrival order on its claim's state as the writes before it left it, so one write's refusal
/// never touches its neighbours; all are acknowledged only once the shared commit is durable. Several lanes commit side
/// by side; a claim's writes keep to one lane while any is pending, so one claim held up never holds up the others.
/// </summary>
public sealed class ClaimCommits(
    IDocumentStore store, PartyNames partyNames, TimeProvider clock, IConfiguration configuration, ILogger<ClaimCommits> logger)
    : IHostedService
{
    /// <summary>The most writes one commit takes; a burst larger than this goes in several.</summary>
    public const int MaxBatch = 256;

    private static readonly Counter<long> StatementsRecorded = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.statements.recorded", "{statement}", "Statements recorded, by stance");

    private static readonly Counter<long> StatusChanges = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.claim.status_changes", "{change}", "Writes that changed a claim's status, by the status before and after");

    private static readonly Histogram<double> WriteDuration = Telemetry.Meter.CreateHistogram(
        "claimstracker.write.duration", "s", "A write's time from its arrival to its commit (or refusal), by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.SecondsBuckets });

    private static readonly Histogram<long> BatchSize = Telemetry.Meter.CreateHistogram<long>(
        "claimstracker.write.batch_size", "{write}", "Writes that shared one commit");

    private static readonly string[] StanceWords = Enum.GetValues<Stance>().Select(Words.Of).ToArray();
    private static readonly string[] StatusWords = Enum.GetValues<ClaimStatus>().Select(Words.Of).ToArray();

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

    /// <summary>Takes no more writes and commits those already taken before the service stops.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var lane in _lanes)
        {
            lane.Queue.Writer.TryComplete();
        }

        await Task.WhenAll(_lanes.Select(l => l.Committing)).WaitAsync(ct);
    }

    /// <summary>The lane of the claim's pending writes, or else the least busy.</summary>
    private Lane Route(Pending pending)
    {
        lock (_claimLanes)
        {
            var lane = pending.Write.ClaimId is { } id && _claimLanes.TryGetValue(id, out var taken)
                ? taken.Lane
                : LeastBusy();
            if (pending.Write.ClaimId is { } claimId)
            {
                _claimLanes[claimId] = (lane, _claimLanes.GetValueOrDefault(claimId).Pending + 1);
            }

            lane.Waiting++;
            pending.Lane = lane;
            return lane;
        }
    }

    private Lane LeastBusy()
    {
        var least = _lanes[0];
        foreach (var lane in _lanes)
        {
            least = lane.Waiting < least.Waiting ? lane : least;
        }

        return least;
    }

    private void Done(Pending pending)
    {
        lock (_claimLanes)
        {
            pending.Lane!.Waiting--;
            if (pending.Write.ClaimId is { } id && _claimLanes.TryGetValue(id, out var taken))
            {
                if (taken.Pending <= 1)
                {
                    _claimLanes.Remove(id);
                }
                else
                {
                    _claimLanes[id] = (taken.Lane, taken.Pending - 1);
                }
            }
        }
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

    private async Task Commit(List<Pending> batch)
    {
        BatchSize.Record(batch.Count);
        // the commit is part of its first write's trace, and linked from the others'
        using var activity = Telemetry.Source.StartActivity("claims commit", ActivityKind.Internal, batch[0].Trace,
            links: batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)));
        activity?.SetTag("claimstracker.write.batch_size", batch.Count);
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(CancellationToken.None);

        // the same key on another node waits here for this transaction, then finds its answer
        var keys = batch.Where(p => p.RecordId is not null).Select(p => p.RecordId!).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (keys.Length > 0)
        {
            await using var lockKeys = new NpgsqlCommand(
                "select pg_advisory_xact_lock(hashtextextended(k, 0)) from (select unnest($1::text[]) k order by 1) keys", session.Connection);
            lockKeys.Parameters.AddWithValue(keys);
            await lockKeys.ExecuteNonQueryAsync();
        }

        // one round trip: lock each claim's stream in one order on every node, load its state and the earlier answers
        var query = session.CreateBatchQuery();
        var fetching = batch.Where(p => p.Write.ClaimId is { } id && id != Guid.Empty).Select(p => p.Write.ClaimId!.Value).Distinct()
            .Order().ToDictionary(id => id, id => query.Events.FetchForExclusiveWriting<ClaimSummary>(id));
        var earlier = keys.Length == 0 ? null : query.LoadMany<IdempotentWrite>().ById(keys);
        var registry = query.Load<PartyRegistryStamp>(PartyRegistryStamp.Key);
        await query.Execute();
        var parties = await partyNames.At(session, await registry, CancellationToken.None);
        var streams = new Dictionary<Guid, IEventStream<ClaimSummary>>();
        var claims = new Dictionary<Guid, Claim>();
        foreach (var (id, fetch) in fetching)
        {
            var stream = streams[id] = await fetch;
            if (stream.Aggregate is { } summary)
            {
                claims[id] = summary.State;
            }
        }

        var prior = earlier is null ? [] : (await earlier).ToDictionary(r => r.Id);
        var now = clock.GetUtcNow();
        var decided = new List<(Pending Pending, WriteOutcome Outcome, ClaimStatus Before, object[] Events)>(batch.Count);
        foreach (var pending in batch)
        {
            var (outcome, before, events) = await Decide(session, pending, now, parties, streams, claims, prior);
            decided.Add((pending, outcome, before, events));
            if (pending.RecordId is { } recordId && outcome is WriteOutcome.Accepted { Replayed: false } accepted)
            {
                prior[recordId] = new IdempotentWrite
                {
                    Id = recordId, Fingerprint = pending.Fingerprint, ClaimId = accepted.ClaimId, Version = accepted.Version,
                    Status = accepted.Status, Created = accepted.Created, CountedFor = accepted.CountedFor, RecordedAt = now,
                };
                session.Insert(prior[recordId]);
            }
        }

        await session.SaveChangesAsync();
        foreach (var (pending, outcome, before, events) in decided)
        {
            if (outcome is WriteOutcome.Accepted { Replayed: false } accepted)
            {
                Committed(before, accepted.Status, events);
            }

            WriteDuration.Record(Stopwatch.GetElapsedTime(pending.Arrived).TotalSeconds,
                new KeyValuePair<string, object?>("outcome", outcome switch
                {
                    WriteOutcome.Accepted { Replayed: true } => "replayed",
                    WriteOutcome.Accepted => "accepted",
                    _ => "refused",
                }));
            pending.Outcome.TrySetResult(outcome);
        }
    }

    /// <summary>One write of the batch: its answer, and the events it appends to the session.</summary>
    private async Task<(WriteOutcome Outcome, ClaimStatus Before, object[] Events)> Decide(
        IDocumentSession session, Pending pending, DateTimeOffset now, PartyDirectory parties, Dictionary<Guid, IEventStream<ClaimSummary>> streams,
        Dictionary<Guid, Claim> claims, Dictionary<string, IdempotentWrite> prior)
    {
        if (pending.RecordId is { } recordId && prior.TryGetValue(recordId, out var earlier))
        {
            return (Replay(earlier, pending.Fingerprint), default, []);
        }

        var context = new DecisionContext(pending.Request.Actor, now) { Parties = parties };
        if (pending.Write.Command is INewClaim registration)
        {
            var registered = registration.Decide(Guid.CreateVersion7(), context);
            session.Events.StartStream<ClaimSummary>(registered.ClaimId, pending.Stamp(registered));
            return (new WriteOutcome.Accepted(registered.ClaimId, 1, ClaimStatus.Unconfirmed, Created: true), default, [registered]);
        }

        var claimId = pending.Write.ClaimId ?? Guid.Empty;
        var command = (IClaimCommand)pending.Write.Command;
        if (!claims.TryGetValue(claimId, out var claim))
        {
            return (new WriteOutcome.Refused(ClaimProblems.UnknownClaim(claimId)), default, []);
        }

        if (Guards.Check(claim, command) is { } refusal)
        {
            return (new WriteOutcome.Refused(refusal), default, []);
        }

        if (command is ILooksUp looksUp)
        {
            command = await looksUp.LookUp(session, claim, context, CancellationToken.None);
        }

        var decision = command.Decide(claim, context);
        if (decision.Problem is { } problem)
        {
            return (new WriteOutcome.Refused(problem), default, []);
        }

        var after = claim;
        foreach (var e in decision.Events)
        {
            after = after.Then(after.Version + 1, e);
            streams[claimId].AppendOne(pending.Stamp(e));
        }

        claims[claimId] = after;
        var counted = decision.Events.OfType<StatementRecorded>().Select(s => after.InvolvedParty(s.Source.Party)).ToArray();
        return (new WriteOutcome.Accepted(claimId, after.Version, after.Status, Created: false, CountedFor: counted.Length > 0 ? counted : null),
            claim.Status, decision.Events);
    }

    private static WriteOutcome Replay(IdempotentWrite prior, string fingerprint) =>
        prior.Fingerprint != fingerprint
            ? new WriteOutcome.Refused(Problems.IdempotencyKeyReused())
            : new WriteOutcome.Accepted(prior.ClaimId, prior.Version, prior.Status, prior.Created, Replayed: true, prior.CountedFor);

    /// <summary>What a committed write tells the operator: the statements it recorded and the status it moved.</summary>
    private static void Committed(ClaimStatus before, ClaimStatus after, object[] events)
    {
        foreach (var e in events)
        {
            if (e is StatementRecorded statement)
            {
                StatementsRecorded.Add(1, new KeyValuePair<string, object?>("stance", StanceWords[(int)statement.Stance]));
            }
        }

        if (before != after && events is not [ClaimRegistered])
        {
            StatusChanges.Add(1, new KeyValuePair<string, object?>("from", StatusWords[(int)before]),
                new KeyValuePair<string, object?>("to", StatusWords[(int)after]));
        }
    }

    /// <summary>One committer: its queue, the writes waiting in it, and its loop.</summary>
    private sealed class Lane
    {
        public Channel<Pending> Queue { get; } = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
        public int Waiting { get; set; }
        public Task Committing { get; set; } = Task.CompletedTask;
    }

    /// <summary>A write waiting for its commit, with who sent it and its Idempotency-Key record's id and fingerprint.</summary>
    private sealed class Pending
    {
        private static readonly ConcurrentDictionary<Type, Func<object, IEvent>> Wrappers = new();

        public Pending(ClaimWrite write, WriteRequest request)
        {
            (Write, Request, RecordId) = (write, request, request.RecordId);
            Fingerprint = RecordId is null ? "" : WriteRequest.Fingerprint(write.Command);
        }

        public ClaimWrite Write { get; }
        public WriteRequest Request { get; }
        public string Fingerprint { get; }
        public string? RecordId { get; }
        public long Arrived { get; } = Stopwatch.GetTimestamp();
        public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;
        public Lane? Lane { get; set; }
        public TaskCompletionSource<WriteOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The event with this write's own metadata: writes sharing a session each keep their actor and ids.</summary>
        public IEvent Stamp(object data)
        {
            var e = Wrappers.GetOrAdd(data.GetType(), Wrapper)(data);
            e.UserName = Request.Actor.Name;
            e.CorrelationId = Request.CorrelationId;
            e.CausationId = Request.CausationId;
            e.SetHeader("actorRole", Request.Actor.Role);
            if (Request.IdempotencyKey is not null)
            {
                e.SetHeader("idempotencyKey", Request.IdempotencyKey);
            }

            if (Request.TraceParent is not null)
            {
                // the async daemon's subscribers (webhooks) continue the write's trace from its events
                e.SetHeader(Telemetry.TraceParentHeader, Request.TraceParent);
            }

            return e;
        }

        private static Func<object, IEvent> Wrapper(Type type)
        {
            var wrapper = typeof(Event<>).MakeGenericType(type);
            return data => (IEvent)Activator.CreateInstance(wrapper, data)!;
        }

    }
}
