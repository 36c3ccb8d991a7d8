using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Claims;

public static partial class ClaimReviewFeed
{
    private sealed class Reader
    {
        public List<ReviewRead> Reviews { get; } = [];
        public Validation Errors { get; } = new();

        public void Search(JsonObject search)
        {
            if (search["claims"] is not JsonArray claims)
            {
                Errors.Error("claims", "must be an array of claims { text, claimant, claimDate, claimReview: [...] }");
                return;
            }

            for (var i = 0; i < claims.Count; i++)
            {
                var at = $"claims[{i}]";
                if (claims[i] is not JsonObject claim)
                {
                    Errors.Error(at, "must be an object { text, claimant, claimDate, claimReview: [...] }");
                    continue;
                }

                var text = Text(claim, at, "text", required: true);
                var claimant = Text(claim, at, "claimant");
                var claimDate = Date(claim, at, "claimDate");
                if (claim["claimReview"] is not JsonArray { Count: > 0 } reviews)
                {
                    Errors.Error($"{at}.claimReview", "is required: an array of the claim's reviews { publisher, url, title, reviewDate, textualRating, languageCode }");
                    continue;
                }

                for (var j = 0; j < reviews.Count; j++)
                {
                    var item = $"{at}.claimReview[{j}]";
                    if (reviews[j] is not JsonObject review)
                    {
                        Errors.Error(item, "must be an object { publisher, url, title, reviewDate, textualRating, languageCode }");
                        continue;
                    }

                    var publisher = Object(review, item, "publisher");
                    var site = publisher is null ? null : Text(publisher, $"{item}.publisher", "site");
                    Add(item, text, claimant, claimDate, null,
                        publisher is null ? null : Text(publisher, $"{item}.publisher", "name"),
                        site is null ? null : site.Contains("://", StringComparison.Ordinal) ? site : $"https://{site}",
                        Url(review, item, "url"), Text(review, item, "title"), Date(review, item, "reviewDate"),
                        Text(review, item, "textualRating"), null, null, null);
                    Text(review, item, "languageCode");
                }
            }
        }

        public void LinkedData(JsonArray items, string at)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var item = $"{at}[{i}]";
                if (items[i] is JsonObject review)
                {
                    Review(review, item);
                }
                else
                {
                    Errors.Error(item, "must be a ClaimReview object");
                }
            }
        }

        public void Review(JsonObject review, string item)
        {
            if (review["@type"] is { } type && !(type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "ClaimReview"))
            {
                Errors.Error(Name(item, "@type"), "must be \"ClaimReview\"");
                return;
            }

            var author = One(review, item, "author");
            var rating = Object(review, item, "reviewRating");
            var claim = Object(review, item, "itemReviewed");
            var claimant = claim is null ? null : One(claim, Name(item, "itemReviewed"), "author") is { } by ? Text(by, Name(item, "itemReviewed.author"), "name") : null;
            (JsonObject? Work, string Field) appearance = claim is null ? default
                : One(claim, Name(item, "itemReviewed"), "firstAppearance") is { } first ? (first, "itemReviewed.firstAppearance")
                : One(claim, Name(item, "itemReviewed"), "appearance") is { } any ? (any, "itemReviewed.appearance") : default;
            var ratingAt = Name(item, "reviewRating");
            Add(item, Text(review, item, "claimReviewed", required: true), claimant,
                claim is null ? null : Date(claim, Name(item, "itemReviewed"), "datePublished"),
                appearance.Work is { } work ? Work(work, Name(item, appearance.Field)) : null,
                author is null ? null : Text(author, Name(item, "author"), "name"),
                author is null ? null : Url(author, Name(item, "author"), "url"),
                Url(review, item, "url"), Text(review, item, "headline") ?? Text(review, item, "name"), Date(review, item, "datePublished"),
                rating is null ? null : Text(rating, ratingAt, "alternateName") ?? Text(rating, ratingAt, "name"),
                rating is null ? null : Number(rating, ratingAt, "ratingValue"),
                rating is null ? null : Number(rating, ratingAt, "bestRating"),
                rating is null ? null : Number(rating, ratingAt, "worstRating"));
        }

        private ArticleInput Work(JsonObject work, string at)
        {
            var by = One(work, at, "publisher") ?? One(work, at, "author");
            return new ArticleInput(by is null ? null : Text(by, $"{at}.{(work.ContainsKey("publisher") ? "publisher" : "author")}", "name"),
                Url(work, at, "url"), Text(work, at, "headline"), Date(work, at, "datePublished"));
        }

        private void Add(string item, string? text, string? claimant, DateTimeOffset? claimDate, ArticleInput? appearance,
            string? publisher, string? publisherUrl, string? url, string? title, DateTimeOffset? reviewDate, string? rating,
            decimal? value, decimal? best, decimal? worst)
        {
            if (worst is { } w && best is { } b && w >= b)
            {
                Errors.Error(Name(item, "reviewRating.worstRating"), $"must be below bestRating ({b})");
            }
            else if (value is { } v && (v < worst || v > best))
            {
                Errors.Error(Name(item, "reviewRating.ratingValue"), "must lie between worstRating and bestRating");
            }

            if (text is not null)
            {
                Reviews.Add(new ReviewRead(Reviews.Count, item.Length == 0 ? "body" : item, Normalised(text), claimant, claimDate,
                    appearance, publisher, publisherUrl, url, title, reviewDate, rating, value, best, worst));
            }
        }

        private static string Name(string at, string field) => at.Length == 0 ? field : $"{at}.{field}";

        private string? Text(JsonObject node, string at, string field, bool required = false)
        {
            switch (node[field])
            {
                case null when required:
                    Errors.Error(Name(at, field), "is required");
                    return null;
                case null:
                    return null;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        if (required)
                        {
                            Errors.Error(Name(at, field), "must not be blank");
                        }

                        return null;
                    }

                    return text.Trim();
                default:
                    Errors.Error(Name(at, field), "must be a string");
                    return null;
            }
        }

        private string? Url(JsonObject node, string at, string field)
        {
            var url = Text(node, at, field);
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                Errors.Error(Name(at, field), "must be an absolute http or https URL");
                return null;
            }

            return url;
        }

        private DateTimeOffset? Date(JsonObject node, string at, string field)
        {
            var text = Text(node, at, field);
            if (text is null)
            {
                return null;
            }

            if (Validation.ParseInstant(text) is not { } date)
            {
                Errors.Error(Name(at, field), "must be an ISO 8601 date or time, such as 2024-02-20 or 2024-02-20T09:00:00Z");
            }
            else
            {
                return date;
            }

            return null;
        }

        private decimal? Number(JsonObject node, string at, string field)
        {
            switch (node[field])
            {
                case null:
                    return null;
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<decimal>(out var number):
                    return number;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String
                                          && decimal.TryParse(value.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
                default:
                    Errors.Error(Name(at, field), "must be a number");
                    return null;
            }
        }

        private JsonObject? Object(JsonObject node, string at, string field)
        {
            switch (node[field])
            {
                case null:
                    return null;
                case JsonObject member:
                    return member;
                default:
                    Errors.Error(Name(at, field), "must be an object");
                    return null;
            }
        }

        /// <summary>An object, or the first of an array of them, as JSON-LD may give either; a plain name reads as { name }.</summary>
        private JsonObject? One(JsonObject node, string at, string field) => node[field] switch
        {
            JsonArray { Count: > 0 } many when many[0] is JsonObject first => first,
            JsonArray { Count: 0 } => null,
            JsonValue name when name.GetValueKind() == JsonValueKind.String => new JsonObject { ["name"] = name.GetValue<string>() },
            _ => Object(node, at, field),
        };
    }
}
