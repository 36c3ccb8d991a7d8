using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record SkippedReview(int Index, string Item, string Why);

public sealed record ClaimReviewImport(int ClaimsCreated, int VerdictsGiven, int ReportsRecorded, IReadOnlyList<SkippedReview> Skipped);

/// <summary>What one review becomes: a verdict or a report on its claim, or nothing, with why.</summary>
public sealed record ReviewPlan(ReviewRead Review, IClaimCommand? Command, string? Why);

/// <summary>One claim of an import, registered if untracked with its claimant as its one party: a claim needs a party and a review names no other.</summary>
public sealed record ClaimPlan(string Key, RegisterClaim? Registration, string? Unregistrable, IReadOnlyList<ReviewPlan> Reviews);

/// <summary>Other fact-checkers' reviews through the API's own writes, each keyed by what it records so a second import adds nothing.</summary>
public static class ImportClaimReviewsEndpoint
{
    public const string Route = "POST /api/import/claimreview";

    [WolverinePost("/api/import/claimreview", OperationId = "ImportClaimReviews")]
    [Tags("Claims")]
    [EndpointSummary("Import ClaimReview JSON-LD or a Fact Check Tools claims:search response as verdicts and reports")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<ClaimReviewImport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        HttpRequest request, ClaimCommits commits, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }, cancellationToken: ct);
        }
        catch (JsonException bad)
        {
            return Problems.Invalid("body", $"is not valid JSON (line {bad.LineNumber + 1}, byte {bad.BytePositionInLine + 1}): " +
                "send ClaimReview JSON-LD or a claims:search response").ToResult();
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return RequestLimits.InvalidTooLarge(request.HttpContext.RequestServices.GetRequiredService<LimitOptions>().MaxBatchBodyBytes).ToResult();
        }
        catch (BadHttpRequestException unread)
        {
            return new ProblemDetails { Status = unread.StatusCode, Title = "The request body could not be read", Detail = unread.Message }.ToResult();
        }

        var (reviews, errors) = ClaimReviewFeed.Read(body);
        var plans = Plan(reviews, errors, clock);
        if (!errors.IsValid)
        {
            return errors.Result().ToResult();
        }

        var sender = WriteRequest.From(request.HttpContext);
        return Results.Ok(await Write(plans, await Tracked(session, plans, ct), commits, sender));
    }

    /// <summary>The writes the reviews become, grouped by claim; what a write would refuse is added to <paramref name="errors"/> under the item.</summary>
    public static IReadOnlyList<ClaimPlan> Plan(IReadOnlyList<ReviewRead> reviews, Validation errors, TimeProvider clock) =>
        reviews.GroupBy(r => r.Key).Select(claim =>
        {
            var first = claim.First();
            var claimant = claim.Select(r => r.Claimant).FirstOrDefault(c => c is not null);
            var appearance = first.Appearance is { Outlet: not null, PublishedAt: not null } seen ? seen
                : claim.Select(r => new ArticleInput(r.Outlet, r.Url, r.Title, r.ClaimDate ?? r.ReviewDate))
                    .FirstOrDefault(a => a is { Outlet: not null, PublishedAt: not null });
            var why = claimant is null ? "names no claimant: a claim needs a party, and an imported claim takes its claimant as its one"
                : appearance is null ? "has no date and outlet for the claim's first report (claimDate, or a review's reviewDate and publisher)"
                : null;
            var registration = why is null ? new RegisterClaim(first.ClaimText, [claimant!], [], appearance) : null;
            if (registration is not null)
            {
                Name(errors, first.Item, RegisterClaimEndpoint.Validate(registration, clock));
            }

            return new ClaimPlan(claim.Key, registration, why, claim.Select(r => Plan(r, errors, clock)).ToList());
        }).ToList();

    private static ReviewPlan Plan(ReviewRead review, Validation errors, TimeProvider clock)
    {
        if (review.RatingName is not { } rating)
        {
            return new(review, null, "has no rating (textualRating, or reviewRating's alternateName or name): nothing to record");
        }

        if (review.Verdict is { } verdict)
        {
            var give = new GiveVerdict(Words.Of(verdict),
                review.Title ?? $"{review.Publisher ?? "The reviewer"} rates it \u201c{rating}\u201d", null, review.Claimant,
                new RatingInput(rating, review.Value, review.Best, review.Worst),
                review.Publisher is null ? null : new ReviewerInput(review.Publisher, review.PublisherUrl),
                review.Url is null ? null : [review.Url]);
            Name(errors, review.Item, GiveVerdictEndpoint.Validate(give));
            return new(review, give, null);
        }

        if (review.Outlet is null || review.ReviewDate is null)
        {
            return new(review, null, $"rates it \u201c{rating}\u201d, which is no plain verdict, and a report of it needs its publisher and reviewDate");
        }

        var headline = review.Title is { } title ? $"{title[..Math.Min(title.Length, 400)]} (rated \u201c{rating}\u201d)" : $"Rated \u201c{rating}\u201d";
        var report = new ReportClaim(review.Outlet, review.Url, headline, review.ReviewDate, null);
        Name(errors, review.Item, ReportClaimEndpoint.Validate(report, clock));
        return new(review, report, null);
    }

    private static void Name(Validation errors, string item, ProblemDetails problem)
    {
        foreach (var (field, messages) in Problems.ErrorsOf(problem))
        {
            foreach (var message in messages)
            {
                errors.Error(item, $"as a write, {field} {message}");
            }
        }
    }

    private static async Task<Dictionary<string, Guid>> Tracked(IQuerySession session, IReadOnlyList<ClaimPlan> plans, CancellationToken ct)
    {
        var keys = plans.Select(p => p.Key).ToArray();
        var found = await session.QueryAsync<ClaimSummary>(
            "where lower(regexp_replace(btrim(d.data ->> 'statement'), '\\s+', ' ', 'g')) = ANY(?)", ct, [keys]);
        return found.OrderBy(s => s.RegisteredAt).GroupBy(s => ClaimReviewFeed.Normalised(s.Statement).ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First().Id);
    }

    private static async Task<ClaimReviewImport> Write(
        IReadOnlyList<ClaimPlan> plans, Dictionary<string, Guid> tracked, ClaimCommits commits, WriteRequest sender)
    {
        var skipped = new List<SkippedReview>();
        int created = 0, verdicts = 0, reports = 0;
        var registering = plans.Where(p => !tracked.ContainsKey(p.Key) && p.Registration is not null)
            .Select(p => (Plan: p, Outcome: Submit(commits, sender, $"claim\n{p.Key}", ClaimWrite.New(p.Registration!)))).ToList();
        foreach (var (plan, outcome) in registering)
        {
            switch (await outcome)
            {
                case WriteOutcome.Accepted accepted:
                    created += accepted.Replayed ? 0 : 1;
                    tracked[plan.Key] = accepted.ClaimId;
                    break;
                case var refused:
                    skipped.AddRange(plan.Reviews.Select(r => Skip(r.Review, $"its claim could not be registered: {Why(refused)}")));
                    break;
            }
        }

        var writing = new List<(ReviewPlan Plan, Task<WriteOutcome> Outcome)>();
        foreach (var plan in plans)
        {
            foreach (var review in plan.Reviews)
            {
                if (review.Command is null)
                {
                    skipped.Add(Skip(review.Review, review.Why!));
                }
                else if (!tracked.TryGetValue(plan.Key, out var claimId))
                {
                    if (plan.Registration is null)
                    {
                        skipped.Add(Skip(review.Review, $"its claim is not tracked and {plan.Unregistrable}"));
                    }
                }
                else
                {
                    var fingerprint = JsonSerializer.Serialize(review.Command, review.Command.GetType(), Json.Options);
                    writing.Add((review, Submit(commits, sender, $"review\n{plan.Key}\n{fingerprint}", ClaimWrite.To(claimId, review.Command))));
                }
            }
        }

        foreach (var (review, outcome) in writing)
        {
            switch (await outcome)
            {
                case WriteOutcome.Accepted { Replayed: true }:
                    skipped.Add(Skip(review.Review, "already imported: nothing was added"));
                    break;
                case WriteOutcome.Accepted:
                    (verdicts, reports) = review.Command is GiveVerdict ? (verdicts + 1, reports) : (verdicts, reports + 1);
                    break;
                case var refused:
                    skipped.Add(Skip(review.Review, Why(refused)));
                    break;
            }
        }

        return new ClaimReviewImport(created, verdicts, reports, [.. skipped.OrderBy(s => s.Index)]);
    }

    /// <summary>A write through the group commit under a key derived from what it records: the same review, the same key.</summary>
    private static async Task<WriteOutcome> Submit(ClaimCommits commits, WriteRequest sender, string identity, ClaimWrite write)
    {
        var key = $"claimreview-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))}";
        try
        {
            return await commits.Submit(write, sender with { IdempotencyKey = key, Route = Route });
        }
        catch (Exception failed) when (failed is not OutOfMemoryException)
        {
            return new WriteOutcome.Refused(new ProblemDetails { Detail = "it could not be written now; import the file again to add it" });
        }
    }

    private static SkippedReview Skip(ReviewRead review, string why) => new(review.Index, review.Item, why);

    private static string Why(WriteOutcome outcome) => outcome is WriteOutcome.Refused { Problem: var problem }
        ? string.Join("; ", Problems.ErrorsOf(problem).SelectMany(e => e.Value.Select(m => $"{e.Key} {m}")).DefaultIfEmpty(problem.Detail ?? problem.Title ?? "refused"))
        : "refused";
}
