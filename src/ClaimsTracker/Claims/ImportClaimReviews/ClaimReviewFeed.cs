using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Claims;

/// <summary>One review read from an import, with the claim it reviews; <see cref="Item"/> is where it sits in the body.</summary>
public sealed record ReviewRead(
    int Index, string Item, string ClaimText, string? Claimant, DateTimeOffset? ClaimDate, ArticleInput? Appearance,
    string? Publisher, string? PublisherUrl, string? Url, string? Title, DateTimeOffset? ReviewDate, string? RatingName,
    decimal? Value, decimal? Best, decimal? Worst)
{
    public string Key => ClaimReviewFeed.Normalised(ClaimText).ToLowerInvariant();

    /// <summary>The verdict the rating plainly states, or null when it says something else (then it is recorded as a report).</summary>
    public Verdict? Verdict => ClaimReviewFeed.VerdictOf(RatingName);

    public string? Outlet => Publisher ?? (Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Host : null);
}

/// <summary>Reads ClaimReview JSON-LD or a claims:search response, naming every bad field by where it sits, so nothing is written from a bad body.</summary>
public static partial class ClaimReviewFeed
{
    public const int MaxReviews = 1000;

    public static (IReadOnlyList<ReviewRead> Reviews, Validation Errors) Read(JsonNode? body)
    {
        var reader = new Reader();
        switch (body)
        {
            case JsonObject { } search when search.ContainsKey("claims"):
                reader.Search(search);
                break;
            case JsonObject { } graph when graph["@graph"] is JsonArray items:
                reader.LinkedData(items, "@graph");
                break;
            case JsonObject review:
                reader.Review(review, "");
                break;
            case JsonArray reviews:
                reader.LinkedData(reviews, "");
                break;
            default:
                reader.Errors.Error("body", "must be a ClaimReview object, an array of them, or a claims:search response { \"claims\": [...] }");
                break;
        }

        if (reader.Reviews.Count > MaxReviews)
        {
            reader.Errors.Error("body", $"must hold at most {MaxReviews} reviews (got {reader.Reviews.Count}); split the file");
        }
        else if (reader.Errors.IsValid && reader.Reviews.Count == 0)
        {
            reader.Errors.Error("body", "holds no reviews");
        }

        return (reader.Reviews, reader.Errors);
    }

    /// <summary>Words a rating uses to say plainly true, false, misleading or unproven, in the languages fact-checkers publish in most.</summary>
    private static readonly Dictionary<string, Verdict> PlainWords = new[]
    {
        (Claims.Verdict.Confirmed, new[] { "true", "verdadero", "vrai", "wahr", "verdadeiro", "vero" }),
        (Claims.Verdict.False, ["false", "falso", "faux", "falsch"]),
        (Claims.Verdict.Misleading, ["misleading", "engañoso", "enganoso", "trompeur", "irreführend", "enganador", "fuorviante"]),
        (Claims.Verdict.Unproven, ["unproven", "sin pruebas", "no demostrado", "non prouvé", "unbelegt", "não comprovado", "non provato"]),
    }.SelectMany(v => v.Item2.Select(word => (word, v.Item1))).ToDictionary(w => w.word, w => w.Item2, StringComparer.Ordinal);

    public static Verdict? VerdictOf(string? rating) =>
        rating is null ? null : PlainWords.TryGetValue(Plain(rating), out var verdict) ? verdict : null;

    public static string Normalised(string text) => Spacing().Replace(text.Trim(), " ");

    /// <summary>Lower case without closing punctuation: "Falso." and "FALSO" say the same.</summary>
    private static string Plain(string rating) => Normalised(rating).ToLowerInvariant().TrimEnd('.', '!');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spacing();
}
