using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Claims;

public sealed record ArticleInput([Required] string? Outlet, string? Url, string? Headline, [Required] TimeInput? PublishedAt)
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

    public Article ToArticle() =>
        new(Outlet!.Trim(), Url?.Trim(), Headline?.Trim(), PublishedAt!.Value.Value.Start, PublishedAt.Value.Value.Precision);
}

public sealed record SourceInput([Required] string? Name, string? Role, string? Party)
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

