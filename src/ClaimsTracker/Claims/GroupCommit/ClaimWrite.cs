using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Claims;

/// <summary>A write to an existing claim: a pure decision on the claim's write-side state.</summary>
public interface IClaimCommand
{
    long? ExpectedVersion { get; }

    bool TakenWhenRetracted => false;

    Decision Decide(Claim claim, DecisionContext context);
}

/// <summary>A write whose decision needs a fact beyond the claim's state: it looks it up first, then decides purely.</summary>
public interface ILooksUp : IClaimCommand
{
    Task<IClaimCommand> LookUp(IQuerySession session, Claim claim, DecisionContext context, CancellationToken ct);
}

public interface INewClaim
{
    ClaimRegistered Decide(Guid claimId, DecisionContext context);
}

public sealed record WriteReply(long Version, ClaimStatus Status);

/// <summary>The reply to a statement: also the involved party it counts for, or null for a third party's (it never moves the status).</summary>
public sealed record StatementReply(long Version, ClaimStatus Status, string? CountedFor);

public sealed record StatementsReply(long Version, ClaimStatus Status, string?[] CountedFor);

public sealed record Registered(Guid Id, long Version);

public abstract record WriteOutcome
{
    public sealed record Accepted(
        Guid ClaimId, long Version, ClaimStatus Status, bool Created, bool Replayed = false, string?[]? CountedFor = null) : WriteOutcome;

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
    public string?[]? CountedFor { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>Hands the command to the next group commit (<see cref="ClaimCommits"/>); 503 if the database misses the write deadline.</summary>
public sealed record ClaimWrite(Guid? ClaimId, object Command) : IResult
{
    public static ClaimWrite To(Guid claimId, IClaimCommand command) => new(claimId, command);

    public static ClaimWrite New(INewClaim command) => new(null, command);

    public async Task ExecuteAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var committing = services.GetRequiredService<ClaimCommits>().Submit(this, WriteRequest.From(http));
        var deadline = services.GetRequiredService<LimitOptions>().DatabaseDeadline;
        if (!await services.GetRequiredService<DatabaseMonitor>().WaitWhileAnswering(committing, deadline, http.RequestAborted))
        {
            _ = committing.ContinueWith(t => t.Exception, TaskScheduler.Default);   // observed; it lands or fails on its own
            throw new TimeoutException($"The database did not answer the write within {deadline.TotalSeconds:F0} s.");
        }

        var outcome = await committing;
        if (outcome is WriteOutcome.Accepted { Replayed: true })
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        await (outcome switch
        {
            WriteOutcome.Refused refused => refused.Problem.ToResult(),
            WriteOutcome.Accepted { Created: true } created =>
                Results.Created($"/api/claims/{created.ClaimId}", new Registered(created.ClaimId, created.Version)),
            WriteOutcome.Accepted accepted => Results.Ok(Reply(accepted)),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        }).ExecuteAsync(http);
    }

    private object Reply(WriteOutcome.Accepted accepted) => Command switch
    {
        RecordStatement => new StatementReply(accepted.Version, accepted.Status, accepted.CountedFor?.FirstOrDefault()),
        RecordStatements => new StatementsReply(accepted.Version, accepted.Status, accepted.CountedFor ?? []),
        _ => new WriteReply(accepted.Version, accepted.Status),
    };
}
