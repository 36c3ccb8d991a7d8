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
    private const int PageSize = 500;

    [WolverineGet("/api/claims/{claimId}/claimreview", OperationId = "GetClaimReview")]
    [Tags("Audit")]
    [EndpointSummary("The claim's status history as schema.org ClaimReview JSON-LD")]
    [Authorize(Policy = Policies.Read)]
    [ClaimSizedRead]
    public static async Task<IResult> Get(Guid claimId, HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        if (await ClaimStream.Length(session, claimId, ct) is not { } length)
        {
            return Problems.UnknownClaim(claimId).ToResult();
        }

        var url = $"{request.Scheme}://{request.Host}/claims/{claimId}";
        var reviews = new JsonArray();
        var corrections = new List<JsonObject>();
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
                    return Problems.UnknownClaim(claimId).ToResult();
                }

                (registered, published) = (start, firstEvent.Timestamp);
            }

            foreach (var step in ClaimReplay.Continue(claimId, ref summary, events))
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
                    ["datePublished"] = published,
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
        }

        var document = new JsonObject { ["@context"] = "https://schema.org", ["@graph"] = reviews };
        return Results.Text(document.ToJsonString(), "application/ld+json");
    }
}
