using ClaimsTracker.Claims;

namespace ClaimsTracker.Demo;

/// <summary>
/// The claims in "Putin Presents Car to Kim Jong Un in Valentine's Week Gesture" (Zain ul Abedin), as the article
/// states them. The article gives no direct quotes, so quotes are its own paraphrases; it was published on Tuesday
/// 20 February 2024, the day it says state media reported the gift, which is the latest the statements can date from.
/// </summary>
public static class ArticleClaims
{
    private static readonly DateTimeOffset Published = new(2024, 2, 20, 0, 0, 0, TimeSpan.Zero);

    public static readonly ArticleInput Article = new(
        "Article by Zain ul Abedin", null, "Putin Presents Car to Kim Jong Un in Valentine's Week Gesture", Published);

    private static readonly ArticleInput Kcna = new("Korean Central News Agency (KCNA)", null, null, Published);

    public sealed record DemoClaim(string Key, RegisterClaim Registration, RecordStatement[] Statements);

    public static readonly DemoClaim[] All =
    [
        new("weapons-supply",
            new RegisterClaim("North Korea has supplied weaponry, including rockets and missiles, to Russia amid the Ukraine conflict",
                ["Russia", "North Korea"], ["weapons", "ukraine-war", "sanctions"], Article),
            []),
        new("aurus-gift",
            new RegisterClaim("Putin gave Kim Jong Un an Aurus Senat limousine, delivered to Kim's representatives on February 18",
                ["Russia", "North Korea"], ["aurus", "diplomacy", "sanctions"], Article),
            [
                new RecordStatement(new SourceInput("Dmitry Peskov", "Kremlin spokesperson", "Russia"), "confirms",
                    "The car was personally selected by President Putin, after Kim had admired it when Putin showed it to him during a visit to Russia.",
                    Published, Article, null),
                new RecordStatement(new SourceInput("Kim Yo Jong", "Sister of Kim Jong Un", "North Korea"), "confirms",
                    "Conveyed heartfelt gratitude to President Putin: the gift is a testament to the special personal relationship between Putin and Kim Jong Un.",
                    Published, Kcna, null),
            ]),
        new("sanctions-breach",
            new RegisterClaim("Putin's gift of an Aurus limousine to Kim Jong Un breaches U.N. sanctions on North Korea",
                ["Russia", "North Korea"], ["aurus", "sanctions"], Article),
            [
                new RecordStatement(new SourceInput("South Korea's foreign ministry", "Foreign ministry spokesperson", "South Korea"), "asserts",
                    "The U.N. sanctions, agreed upon by Moscow, explicitly prohibit the supply of luxury vehicles to Pyongyang.",
                    Published, Article, null),
            ]),
        new("support-for-russia",
            new RegisterClaim("Kim Jong Un expressed North Korea's support for Russia in its \"sacred struggle to defend its state sovereignty\"",
                ["North Korea"], ["ukraine-war", "diplomacy"], Article),
            [
                new RecordStatement(new SourceInput("Kim Jong Un", "Leader of North Korea", "North Korea"), "confirms",
                    "Expressed solidarity with Russia in its \"sacred struggle to defend its state sovereignty\" and affirmed North Korea's support against imperialism.",
                    Published, Article, null),
            ]),
    ];
}
