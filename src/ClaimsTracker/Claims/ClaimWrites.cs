using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ClaimsTracker.Claims;

/// <summary>The answer to a write: what the client sees, and whether it is a replay of an earlier answer.</summary>
public abstract record WriteOutcome
{
    public sealed record Accepted(Guid ClaimId, long Version, ClaimStatus Status, bool Created, bool Replayed = false)
        : WriteOutcome;

    public sealed record Refused(ProblemDetails Problem) : WriteOutcome;
}

/// <summary>A successful write's answer kept under its Idempotency-Key, stored in the write's own transaction.</summary>
public sealed class IdempotentWrite
{
    public string Id { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public Guid ClaimId { get; set; }
    public long Version { get; set; }
    public ClaimStatus Status { get; set; }
    public bool Created { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// One write to a claim stream: lock the stream, honour the idempotency key and expected version, decide, append,
/// and commit the events, the inline projections and the idempotency record in one transaction.
/// </summary>
public static class ClaimWrites
{
    private static readonly Counter<long> StatementsRecorded = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.statements.recorded", "{statement}", "Statements recorded, by stance");

    private static readonly Counter<long> StatusChanges = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.claim.status_changes", "{change}", "Writes that changed a claim's status, by the status before and after");

    private static readonly Histogram<double> WriteDuration = Telemetry.Meter.CreateHistogram(
        "claimstracker.write.duration", "s", "A write's time from its session to its commit (or refusal), by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.SecondsBuckets });

    private static readonly string[] StanceWords = Enum.GetValues<Stance>().Select(Words.Of).ToArray();
    private static readonly string[] StatusWords = Enum.GetValues<ClaimStatus>().Select(Words.Of).ToArray();

    public static Task<WriteOutcome> Register(
        IDocumentSession session, WriteRequest request, object command, Func<Guid, ClaimRegistered> decide,
        CancellationToken ct) =>
        Measured(RegisterUnmeasured(session, request, command, decide, ct));

    public static Task<WriteOutcome> Append(
        IDocumentSession session, WriteRequest request, Guid claimId, long? expectedVersion, object command,
        Func<Claim, Decision> decide, CancellationToken ct) =>
        Measured(AppendUnmeasured(session, request, claimId, expectedVersion, command, decide, ct));

    private static async Task<WriteOutcome> Measured(Task<WriteOutcome> write)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var written = await write;
            outcome = written switch
            {
                WriteOutcome.Accepted { Replayed: true } => "replayed",
                WriteOutcome.Accepted => "accepted",
                _ => "refused",
            };
            return written;
        }
        finally
        {
            WriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary>What a committed append tells the operator: the statements it recorded and the status it moved.</summary>
    private static void Committed(ClaimStatus before, ClaimStatus after, object[] events)
    {
        foreach (var e in events)
        {
            if (e is StatementRecorded statement)
            {
                StatementsRecorded.Add(1, new KeyValuePair<string, object?>("stance", StanceWords[(int)statement.Stance]));
            }
        }

        if (before != after)
        {
            StatusChanges.Add(1, new KeyValuePair<string, object?>("from", StatusWords[(int)before]),
                new KeyValuePair<string, object?>("to", StatusWords[(int)after]));
        }
    }

    private static async Task<WriteOutcome> RegisterUnmeasured(
        IDocumentSession session, WriteRequest request, object command, Func<Guid, ClaimRegistered> decide,
        CancellationToken ct)
    {
        Stamp(session, request);
        await session.BeginTransactionAsync(ct);
        var (recordId, fingerprint) = Key(request, command);
        if (recordId is not null)
        {
            // a concurrent retry of the same registration waits here and then finds the first one's answer
            await using var lockKey = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", session.Connection);
            lockKey.Parameters.AddWithValue(recordId);
            await lockKey.ExecuteNonQueryAsync(ct);
            if (await session.LoadAsync<IdempotentWrite>(recordId, ct) is { } prior)
            {
                return Replay(prior, fingerprint);
            }
        }

        var registered = decide(Guid.CreateVersion7());
        session.Events.StartStream<Claim>(registered.ClaimId, registered);
        var outcome = new WriteOutcome.Accepted(registered.ClaimId, 1, ClaimStatus.Unconfirmed, Created: true);
        return await Commit(session, recordId, fingerprint, outcome, ct);
    }

    private static async Task<WriteOutcome> AppendUnmeasured(
        IDocumentSession session, WriteRequest request, Guid claimId, long? expectedVersion, object command,
        Func<Claim, Decision> decide, CancellationToken ct)
    {
        if (claimId == Guid.Empty)
        {
            // Marten refuses the empty Guid as a stream id with an exception; no claim ever has it
            return new WriteOutcome.Refused(Problems.UnknownClaim(claimId));
        }

        Stamp(session, request);
        var (recordId, fingerprint) = Key(request, command);

        // One round trip: lock the stream row (writers to one claim queue on it, so writes without expectedVersion
        // all land, in turn), then, under that lock, read the claim, its summary and any earlier answer under the
        // same Idempotency-Key. The summary goes into the session's identity map, where the inline projection finds
        // it instead of loading it again in a round trip of its own.
        await session.BeginTransactionAsync(ct);
        session.UseIdentityMapFor<ClaimSummary>();
        var batch = session.CreateBatchQuery();
        var fetching = batch.Events.FetchForExclusiveWriting<Claim>(claimId);
        var summary = batch.Load<ClaimSummary>(claimId);
        var earlier = recordId is null ? null : batch.Load<IdempotentWrite>(recordId);
        await batch.Execute(ct);
        var stream = await fetching;
        var before = (await summary)?.Status ?? ClaimStatus.Unconfirmed;
        if (stream.Aggregate is not { } claim)
        {
            return new WriteOutcome.Refused(Problems.UnknownClaim(claimId));
        }

        if (earlier is not null && await earlier is { } prior)
        {
            return Replay(prior, fingerprint);
        }

        var current = stream.CurrentVersion ?? claim.Version;
        if (expectedVersion is { } expected && expected != current)
        {
            return new WriteOutcome.Refused(Problems.StaleVersion(expected, current));
        }

        var decision = decide(claim);
        if (decision.Problem is { } problem)
        {
            return new WriteOutcome.Refused(problem);
        }

        stream.AppendMany(decision.Events);
        // the status is filled in from the summary this write's transaction stores (WrittenClaims)
        var outcome = new WriteOutcome.Accepted(claimId, current + decision.Events.Length, ClaimStatus.Unconfirmed, Created: false);
        var committed = await Commit(session, recordId, fingerprint, outcome, ct);
        Committed(before, committed.Status, decision.Events);
        return committed;
    }

    private static void Stamp(IDocumentSession session, WriteRequest request)
    {
        session.LastModifiedBy = request.Actor.Name;
        session.CorrelationId = request.CorrelationId;
        session.CausationId = request.CausationId;
        if (request.TraceParent is not null)
        {
            // the async daemon's subscribers (webhooks) continue the write's trace from its events
            session.SetHeader(Telemetry.TraceParentHeader, request.TraceParent);
        }

        session.SetHeader("actorRole", request.Actor.Role);
        if (request.IdempotencyKey is not null)
        {
            session.SetHeader("idempotencyKey", request.IdempotencyKey);
        }
    }

    private static (string? RecordId, string Fingerprint) Key(WriteRequest request, object command)
    {
        var fingerprint = Hash(JsonSerializer.Serialize(command, command.GetType(), Json.Options));
        return request.IdempotencyKey is { } key
            ? (Hash($"{request.Actor.Name}\n{request.Route}\n{key}"), fingerprint)
            : (null, fingerprint);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static WriteOutcome Replay(IdempotentWrite prior, string fingerprint) =>
        prior.Fingerprint != fingerprint
            ? new WriteOutcome.Refused(Problems.IdempotencyKeyReused())
            : new WriteOutcome.Accepted(prior.ClaimId, prior.Version, prior.Status, prior.Created, Replayed: true);

    private static async Task<WriteOutcome.Accepted> Commit(
        IDocumentSession session, string? recordId, string fingerprint, WriteOutcome.Accepted outcome, CancellationToken ct)
    {
        var write = WrittenClaims.Expect(session, new PendingWrite(recordId, fingerprint, outcome));
        await session.SaveChangesAsync(ct);
        if (write.Summary is null)
        {
            // never expected: the summary is an inline projection of every claim stream
            var stored = await session.LoadAsync<ClaimSummary>(outcome.ClaimId, ct);
            return outcome with { Status = stored?.Status ?? outcome.Status };
        }

        return write.Outcome;
    }
}

/// <summary>A write on its way to its commit: its answer and, under an Idempotency-Key, the record that keeps it.</summary>
public sealed class PendingWrite(string? recordId, string fingerprint, WriteOutcome.Accepted outcome)
{
    public WriteOutcome.Accepted Outcome { get; set; } = outcome;

    public ClaimSummary? Summary { get; set; }

    public string? RecordId { get; } = recordId;

    public string Fingerprint { get; } = fingerprint;
}

/// <summary>
/// Completes a write's answer with the status derived by the claim summary that its own transaction stores (the
/// inline projection has run by the time the session's listeners are called), and stores the Idempotency-Key record
/// with that answer in the same transaction. The write-side <see cref="Claim"/> keeps no copy of the facts.
/// </summary>
public sealed class WrittenClaims : DocumentSessionListenerBase
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDocumentSession, PendingWrite> Pending = new();

    public static PendingWrite Expect(IDocumentSession session, PendingWrite write)
    {
        Pending.AddOrUpdate(session, write);
        return write;
    }

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (!Pending.TryGetValue(session, out var write))
        {
            return Task.CompletedTask;
        }

        Pending.Remove(session);
        var outcome = write.Outcome;
        write.Summary = session.PendingChanges.AllChangedFor<ClaimSummary>().LastOrDefault(s => s.Id == outcome.ClaimId);
        if (write.Summary is { } summary)
        {
            write.Outcome = outcome = outcome with { Status = summary.Status, Version = summary.Version };
        }

        if (write.RecordId is not null)
        {
            session.Insert(new IdempotentWrite
            {
                Id = write.RecordId, Fingerprint = write.Fingerprint, ClaimId = outcome.ClaimId, Version = outcome.Version,
                Status = outcome.Status, Created = outcome.Created, RecordedAt = DateTimeOffset.UtcNow,
            });
        }

        return Task.CompletedTask;
    }
}
