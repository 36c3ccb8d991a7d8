using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

/// <summary>schema.org ClaimReview for one claim: one review per status change, verdict and correction of what a review shows.</summary>
public static partial class ClaimReviewEndpoint
{
    private const int PageSize = 500;

    [WolverineGet("/api/claims/{claimId}/claimreview", OperationId = "GetClaimReview")]
    [Tags("Audit")]
    [EndpointSummary("The claim's status history as schema.org ClaimReview JSON-LD")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<System.Text.Json.Nodes.JsonObject>(StatusCodes.Status200OK, "application/ld+json")]
    [ClaimSizedRead]
    public static async Task<IResult> Get(
        Guid claimId, HttpRequest request, IQuerySession session, PartyNames parties, CancellationToken ct)
    {
        if (await ClaimStream.Length(session, claimId, ct) is not { } length)
        {
            return ClaimProblems.UnknownClaim(claimId).ToResult();
        }

        var url = $"{request.Scheme}://{request.Host}/claims/{claimId}";
        var reviews = new JsonArray();
        var corrections = new List<JsonObject>();
        // by the version that reported each: a correction replaces the article in the reviews after it
        var appearances = new SortedDictionary<long, JsonObject>();
        var claimants = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        JsonArray? about = null;
        ClaimSummary? summary = null;
        ClaimRegistered? registered = null;
        DateTimeOffset published = default;
        // page by page: what a request holds is one page of events, however long the claim
        for (long first = 1; first <= length; first += PageSize)
        {
            var events = await ClaimStream.Versions(session, claimId, first, first + PageSize - 1, ct);
            if (registered is null)
            {
                if (events is not [{ Data: ClaimRegistered start } firstEvent, ..])
                {
                    return ClaimProblems.UnknownClaim(claimId).ToResult();
                }

                (registered, published) = (start, firstEvent.Timestamp);
                appearances[1] = Work(start.FirstReport);
                about = await About(start.Parties, session, parties, ct);
            }

            foreach (var step in ClaimReplay.Continue(claimId, ref summary, events))
            {
                switch (step.Data)
                {
                    case ClaimCorrected corrected:
                        if (corrected is { CorrectsVersion: { } reportedAt, Article: { } article })
                        {
                            appearances[reportedAt] = Work(article);
                        }

                        if (corrected.Parties is { } involved)
                        {
                            about = await About(involved, session, parties, ct);
                        }

                        corrections.Add(new JsonObject
                        {
                            ["@type"] = "CorrectionComment",
                            ["text"] = corrected.CorrectsVersion is { } v ? $"Corrects event {v}: {corrected.Reason}" : corrected.Reason,
                            ["datePublished"] = step.RecordedAt,
                        });
                        break;
                    case ClaimReported reported:
                        appearances[step.Version] = Work(reported.Article);
                        break;
                    case StatementRecorded { Stance: Stance.Asserts } asserted:
                        claimants.TryAdd(asserted.Source.Name, Claimant(asserted.Source));
                        break;
                }

                var verdict = step.Data as VerdictGiven;
                var reviewedAgain = step.Data is ClaimCorrected { Article: not null } or ClaimCorrected { Parties: not null };
                if (verdict is null && step.Version != 1 && !reviewedAgain && !step.Changes.Any(c => c.What == "status"))
                {
                    continue;
                }

                reviews.Add(Review(url, published, step, verdict, registered, appearances, claimants.Values, about, corrections));
            }
        }

        var document = new JsonObject { ["@context"] = "https://schema.org", ["@graph"] = reviews };
        return Results.Text(document.ToJsonString(), "application/ld+json");
    }

    private static JsonObject Review(
        string url, DateTimeOffset published, ReplayStep step, VerdictGiven? verdict, ClaimRegistered registered,
        SortedDictionary<long, JsonObject> appearances, IEnumerable<JsonObject> claimants, JsonArray? about, List<JsonObject> corrections)
    {
        // read as JSON: verdicts may carry ClaimReview's own fields (rating, reviewer, claimant, citations)
        var given = verdict is null ? null : JsonSerializer.SerializeToNode(verdict, verdict.GetType(), Json.Options)?.AsObject();
        var rating = given?["rating"] as JsonObject;
        var authors = claimants.Select(c => c.DeepClone()).ToList();
        if (given?["claimant"]?.GetValueKind() == JsonValueKind.String)
        {
            authors = [Named("Organization", given["claimant"]!.GetValue<string>())];
        }

        return Present(
            ("@type", "ClaimReview"),
            ("url", url),
            ("claimReviewed", step.Statement),
            ("datePublished", published),
            ("dateModified", step.RecordedAt),
            ("author", Reviewer(given?["reviewedBy"] as JsonObject)),
            ("reviewRating", Present(
                ("@type", "Rating"),
                ("name", verdict is null ? null : rating?["name"]?.DeepClone() ?? Words.Of(verdict.Verdict)),
                ("alternateName", Words.Of(step.Status).Replace('_', ' ')),
                ("ratingValue", rating?["value"]?.DeepClone()),
                ("bestRating", rating?["best"]?.DeepClone()),
                ("worstRating", rating?["worst"]?.DeepClone()),
                ("ratingExplanation", verdict?.Rationale),
                ("description", $"Status after event {step.Version} ({step.Type})"))),
            ("itemReviewed", Present(
                ("@type", "Claim"),
                ("author", authors.Count switch { 0 => null, 1 => authors[0], _ => new JsonArray([.. authors]) }),
                ("firstAppearance", appearances[1].DeepClone()),
                ("appearance", new JsonArray([.. appearances.Values.Select(a => a.DeepClone())])),
                ("about", about?.DeepClone()))),
            ("citation", given?["citations"] is JsonArray { Count: > 0 } citations ? citations.DeepClone() : null),
            ("correction", new JsonArray([.. corrections.Select(c => (JsonNode)c.DeepClone())])));
    }

    /// <summary>An object of the members whose values are present: JSON-LD drops a null, and a reader is left guessing why.</summary>
    private static JsonObject Present(params (string Name, JsonNode? Value)[] members)
    {
        var present = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is not null)
            {
                present[name] = value;
            }
        }

        return present;
    }

    private static JsonObject Named(string type, string name) => new() { ["@type"] = type, ["name"] = name };

    private static JsonObject Reviewer(JsonObject? reviewedBy) =>
        reviewedBy?["name"]?.GetValueKind() == JsonValueKind.String
            ? Present(("@type", "Organization"), ("name", reviewedBy["name"]!.DeepClone()), ("url", reviewedBy["url"]?.DeepClone()))
            : Named("Organization", "ClaimsTracker");

    private static JsonObject Claimant(Source source) => Present(
        ("@type", source.Role is null ? "Organization" : "Person"), ("name", source.Name), ("jobTitle", source.Role));

    /// <summary>An article as a CreativeWork: a byline recorded as the outlet names the article's author, not its publisher.</summary>
    public static JsonObject Work(Article article)
    {
        var byline = Byline().Match(article.Outlet);
        var publisher = byline.Success ? byline.Groups["outlet"] is { Success: true } outlet ? outlet.Value : null : article.Outlet;
        return Present(
            ("@type", "CreativeWork"),
            ("url", article.Url),
            ("headline", article.Headline),
            ("datePublished", Date(new WorldTime(article.PublishedAt, article.PublishedAtPrecision))),
            ("author", byline.Success ? Named("Person", byline.Groups["author"].Value.Trim()) : null),
            ("publisher", publisher is null ? null : Named("Organization", publisher.Trim())));
    }

    private static JsonNode Date(WorldTime time) => time.Text is { } period ? period : time.Start;

    private static async Task<JsonArray> About(string[] names, IQuerySession session, PartyNames parties, CancellationToken ct)
    {
        var about = new JsonArray();
        foreach (var name in names)
        {
            var party = await parties.Resolve(session, name, ct);
            about.Add(Present(("@type", "Thing"), ("name", party?.Name ?? name), ("sameAs", party?.WikidataUrl)));
        }

        return about;
    }

    [GeneratedRegex(@"^(?:(?<outlet>.+?)\s*[,;:|–—-]\s*)?(?:(?:an?\s+)?(?:article|story|report|column)\s+)?by\s+(?<author>\S.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Byline();
}
