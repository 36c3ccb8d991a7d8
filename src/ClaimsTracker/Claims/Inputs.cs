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
    public static void Check(Validation validation, string field, SourceInput? source)
    {
        if (source is null)
        {
            validation.Error(field, "is required: { name, role, party } (party null for a third party)");
            return;
        }

        validation.Text($"{field}.name", source.Name, 200)
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
    /// <summary>An HTTP write to an existing claim: who and when from the request, then the write pipeline.</summary>
    public static async Task<IResult> Append<TCommand>(
        HttpContext http, IDocumentSession session, TimeProvider clock, Guid claimId, TCommand command, long? expectedVersion,
        Func<Claim, TCommand, DecisionContext, Decision> decide)
        where TCommand : notnull
    {
        var request = WriteRequest.From(http);
        var context = new DecisionContext(request.Actor, clock.GetUtcNow());
        var outcome = await ClaimWrites.Append(session, request, claimId, expectedVersion, command,
            claim => decide(claim, command, context), http.RequestAborted);
        return outcome.ToHttp();
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
