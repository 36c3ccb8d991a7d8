using System.Text.Json.Nodes;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

/// <summary>
/// schema.org ClaimReview for one claim: one review per status change, dated by when it was recorded here, each
/// carrying the corrections recorded up to then as <c>correction</c> notes.
/// </summary>
public static class ClaimReviewEndpoint
{
    [WolverineGet("/api/claims/{claimId}/claimreview", OperationId = "GetClaimReview")]
    [Tags("Audit")]
    [EndpointSummary("The claim's status history as schema.org ClaimReview JSON-LD")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Get(Guid claimId, HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(claimId, token: ct);
        if (events.Count == 0 || events[0].Data is not ClaimRegistered registered)
        {
            return Problems.UnknownClaim(claimId).ToResult();
        }

        var url = $"{request.Scheme}://{request.Host}/claims/{claimId}";
        var steps = ClaimReplay.Steps(claimId, events);
        var reviews = new JsonArray();
        var corrections = new List<JsonObject>();
        foreach (var step in steps)
        {
            if (step.Data is ClaimCorrected corrected)
            {
                corrections.Add(new JsonObject
                {
                    ["@type"] = "CorrectionComment",
                    ["text"] = corrected.CorrectsVersion is { } v ? $"Corrects event {v}: {corrected.Reason}" : corrected.Reason,
                    ["datePublished"] = step.RecordedAt,
                });
            }

            if (!step.Changes.Any(c => c.What == "status") && step.Version != 1)
            {
                continue;
            }

            reviews.Add(new JsonObject
            {
                ["@type"] = "ClaimReview",
                ["url"] = url,
                ["claimReviewed"] = step.Statement,
                ["datePublished"] = steps[0].RecordedAt,
                ["dateModified"] = step.RecordedAt,
                ["author"] = new JsonObject { ["@type"] = "Organization", ["name"] = "ClaimsTracker" },
                ["reviewRating"] = new JsonObject
                {
                    ["@type"] = "Rating", ["alternateName"] = Words.Of(step.Status).Replace('_', ' '),
                    ["description"] = $"Status after event {step.Version} ({step.Type})",
                },
                ["itemReviewed"] = new JsonObject
                {
                    ["@type"] = "Claim",
                    ["firstAppearance"] = new JsonObject
                    {
                        ["@type"] = "CreativeWork", ["url"] = registered.FirstReport.Url,
                        ["headline"] = registered.FirstReport.Headline, ["datePublished"] = registered.FirstReport.PublishedAt,
                        ["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = registered.FirstReport.Outlet },
                    },
                },
                ["correction"] = new JsonArray(corrections.Select(c => (JsonNode)c.DeepClone()).ToArray()),
            });
        }

        var document = new JsonObject { ["@context"] = "https://schema.org", ["@graph"] = reviews };
        return Results.Text(document.ToJsonString(), "application/ld+json");
    }
}
