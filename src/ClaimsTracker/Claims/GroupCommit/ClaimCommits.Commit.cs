using System.Diagnostics;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace ClaimsTracker.Claims;

public sealed partial class ClaimCommits
{
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
}
