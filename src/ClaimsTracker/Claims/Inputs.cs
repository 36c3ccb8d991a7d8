using ClaimsTracker.Infrastructure;
using Marten;

namespace ClaimsTracker.Claims;

public sealed record ArticleInput(string? Outlet, string? Url, string? Headline, DateTimeOffset? PublishedAt)
{
    public static void Check(Validation validation, string field, ArticleInput? article, DateTimeOffset now, bool required)
    {
        if (article is null)
        {
            if (required)
            {
                validation.Error(field, "is required: { outlet, url, headline, publishedAt }");
            }

            return;
        }

        string Name(string member) => field.Length == 0 ? member : $"{field}.{member}";
        validation.Text(Name("outlet"), article.Outlet, 200)
            .Url(Name("url"), article.Url)
            .Text(Name("headline"), article.Headline, 500, required: false)
            .Time(Name("publishedAt"), article.PublishedAt, now);
    }

    public Article ToArticle() => new(Outlet!.Trim(), Url?.Trim(), Headline?.Trim(), PublishedAt!.Value.ToUniversalTime());
}

public sealed record SourceInput(string? Name, string? Role, string? Party)
{
    public const int MaxNameLength = 200;

    public static void Check(Validation validation, string field, SourceInput? source)
    {
        if (source is null)
        {
            validation.Error(field, "is required: { name, role, party } (party null for a third party)");
            return;
        }

        validation.Text($"{field}.name", source.Name, MaxNameLength)
            .Text($"{field}.role", source.Role, 200, required: false)
            .Text($"{field}.party", source.Party, 100, required: false);
    }
}

/// <summary>The reply to every write to an existing claim.</summary>
public sealed record WriteReply(long Version, ClaimStatus Status);

/// <summary>The reply to a registration.</summary>
public sealed record Registered(Guid Id, long Version);

public static class WriteOutcomeHttp
{
    /// <summary>
    /// How long a client waits for a write (<see cref="LimitOptions.DatabaseDeadline"/>, longer while the database
    /// keeps answering). A write stuck on a frozen database is left to finish or fail on its own session, and the client gets 503 with Retry-After: retried under
    /// the same Idempotency-Key, it gets the first answer if the write did land.
    /// </summary>
    /// <summary>An HTTP write to an existing claim: who and when from the request, then the write pipeline.</summary>
    public static Task<IResult> Append<TCommand>(
        HttpContext http, IDocumentStore store, TimeProvider clock, Guid claimId, TCommand command, long? expectedVersion,
        Func<Claim, TCommand, DecisionContext, Decision> decide)
        where TCommand : notnull =>
        Within(http, store, clock, (session, request, context) => ClaimWrites.Append(session, request, claimId, expectedVersion,
            command, claim => decide(claim, command, context), CancellationToken.None));

    /// <summary>
    /// Runs a write on a session of its own, so that a write outliving the deadline does not hold the
    /// request; a client that goes away does not cancel a write half-way either.
    /// </summary>
    public static async Task<IResult> Within(
        HttpContext http, IDocumentStore store, TimeProvider clock,
        Func<IDocumentSession, WriteRequest, DecisionContext, Task<WriteOutcome>> write)
    {
        var request = WriteRequest.From(http);
        var context = new DecisionContext(request.Actor, clock.GetUtcNow());
        var running = Task.Run(async () =>
        {
            await using var session = store.LightweightSession();
            return await write(session, request, context);
        });
        var deadline = http.RequestServices.GetRequiredService<LimitOptions>().DatabaseDeadline;
        if (!await http.RequestServices.GetRequiredService<DatabaseMonitor>().WaitWhileAnswering(running, deadline, http.RequestAborted))
        {
            _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default);   // observed; it finishes or fails on its own
            throw new TimeoutException($"The database did not answer the write within {deadline.TotalSeconds:F0} s.");
        }

        return (await running).ToHttp();
    }

    public static IResult ToHttp(this WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Refused refused => refused.Problem.ToResult(),
        WriteOutcome.Accepted { Created: true } created => new Answer(
            Results.Created($"/api/claims/{created.ClaimId}", new Registered(created.ClaimId, created.Version)),
            created.Replayed),
        WriteOutcome.Accepted accepted => new Answer(Results.Ok(new WriteReply(accepted.Version, accepted.Status)), accepted.Replayed),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>Marks an answer that repeats the first one for the same Idempotency-Key.</summary>
    private sealed class Answer(IResult inner, bool replayed) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (replayed)
            {
                httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            }

            return inner.ExecuteAsync(httpContext);
        }
    }
}
