using ClaimsTracker.Claims;

namespace ClaimsTracker.Demo;

/// <summary>The claims a desk would track in "Putin Presents Car to Kim Jong Un in Valentine's Week Gesture" (20 February 2024), split so each confirmation covers only what its source said.</summary>
public static class ArticleClaims
{
    private const string Published = "2024-02-20";

    public static readonly ArticleInput Article = new(
        "Article by Zain ul Abedin", null, "Putin Presents Car to Kim Jong Un in Valentine's Week Gesture", new TimeInput(Published));

    private static readonly ArticleInput Kcna = new("Korean Central News Agency (KCNA)", null, null, new TimeInput(Published));

    private static readonly SourceInput Peskov = new("Dmitry Peskov", "Kremlin spokesperson", "Russia");

    public sealed record DemoClaim(string Key, RegisterClaim Registration, RecordStatement[] Statements, (string Kind, string Key)[]? Relations = null);

    private static RegisterClaim Claim(string statement, string[] parties, params string[] topics) => new(statement, parties, topics, Article);

    private static RecordStatement Said(
        SourceInput source, string stance, string quote, string statedAt, ArticleInput? reportedIn = null, string quoteKind = "paraphrase") =>
        new(source, stance, quote, new TimeInput(statedAt), reportedIn ?? Article, null, quoteKind);

    public static readonly DemoClaim[] All =
    [
        new("aurus-gift",
            Claim("Putin gave Kim Jong Un a Russian-made car as a gift", ["Russia", "North Korea"], "aurus", "diplomacy", "sanctions"),
            [
                Said(Peskov, "confirms", "The car was a gift that President Putin personally selected for Kim Jong Un.", Published),
                Said(new SourceInput("Kim Yo Jong", "Sister of Kim Jong Un", "North Korea"), "confirms",
                    "Conveyed heartfelt gratitude to President Putin for the gift, a testament to the special personal relationship between Putin and Kim Jong Un.",
                    Published, Kcna),
            ]),
        new("aurus-model",
            Claim("The car Putin gave Kim Jong Un is an Aurus Senat limousine", ["Russia", "North Korea"], "aurus"), []),
        new("aurus-delivery",
            Claim("The car was delivered to Kim Jong Un's representatives on February 18, 2024", ["Russia", "North Korea"], "aurus"), []),
        new("personal-choice",
            Claim("Putin chose the car for Kim Jong Un himself, after Kim admired it when Putin showed it to him on a visit to Russia", ["Russia"], "aurus", "diplomacy"),
            [
                Said(Peskov, "confirms",
                    "Recounted that Kim had admired the car during a visit to Russia, where Putin himself showed it to him, which led to Putin's decision to give it.",
                    Published),
            ]),
        new("putins-own-car",
            Claim("The Aurus Senat is the same car that Putin himself uses", ["Russia"], "aurus"), []),
        new("aurus-founded",
            Claim("Aurus was established in 2018 to make Russia's official state vehicles", ["Russia"], "aurus"), []),
        new("ballistic-protection",
            Claim("The Aurus Senat offers ballistic protection rivalling that of armoured military vehicles", ["Aurus"], "aurus"),
            [
                // the website's words are undated: known only to be online when the article was written
                Said(new SourceInput("Aurus (manufacturer's website)", "Manufacturer", "Aurus"), "asserts",
                    "The car offers exceptional ballistic protection, rivalling that of armoured military vehicles.", "2024-02"),
            ]),
        new("september-inspection",
            Claim("Kim Jong Un inspected the Aurus Senat limousine on a visit to Russia in September 2023, and Putin invited him to try it",
                ["Russia", "North Korea"], "aurus", "diplomacy"),
            [
                Said(new SourceInput("Reuters", "News agency", null), "asserts",
                    "During a visit to Russia in September, Kim Jong Un inspected this model of limousine, and Putin invited him to experience it.",
                    "2023-09"),
            ]),
        new("car-collection",
            Claim("Kim Jong Un has collected high-end cars, including Maybach, Mercedes, Lexus and Rolls-Royce, despite international sanctions",
                ["North Korea"], "sanctions"), []),
        new("sanctions-breach",
            Claim("Putin's gift of the car to Kim Jong Un breaches U.N. sanctions on North Korea", ["Russia", "North Korea"], "aurus", "sanctions"),
            [
                Said(new SourceInput("South Korea's foreign ministry", "Foreign ministry spokesperson", "South Korea"), "asserts",
                    "The U.N. sanctions, agreed upon by Moscow, explicitly prohibit the supply of luxury vehicles to Pyongyang.", Published),
            ],
            [("depends_on", "aurus-gift")]),
        new("support-for-russia",
            Claim("Kim Jong Un expressed North Korea's support for Russia in its \"sacred struggle to defend its state sovereignty\"",
                ["North Korea"], "ukraine-war", "diplomacy"),
            [
                // said at a meeting of the two leaders; the public record places it at their September 2023 summit
                Said(new SourceInput("Kim Jong Un", "Leader of North Korea", "North Korea"), "confirms",
                    "sacred struggle to defend its state sovereignty", "2023-09", quoteKind: "direct"),
            ]),
        new("weapons-supply",
            Claim("North Korea has supplied weaponry, including rockets and missiles, to Russia amid the Ukraine conflict",
                ["Russia", "North Korea"], "weapons", "ukraine-war", "sanctions"),
            [
                // "both Russia and North Korea have not confirmed these allegations": each party open, with the date it was reported
                Said(new SourceInput("Russian government", "as reported by the article", "Russia"), "not_confirmed",
                    "Russia has not confirmed the reports of North Korean weapons supplies.", Published),
                Said(new SourceInput("North Korean government", "as reported by the article", "North Korea"), "not_confirmed",
                    "North Korea has not confirmed the reports of weapons supplies to Russia.", Published),
            ]),
        new("weapons-sanctions",
            Claim("North Korea's supplies of weapons to Russia would violate U.N. sanctions", ["Russia", "North Korea"], "weapons", "sanctions"), [],
            [("depends_on", "weapons-supply")]),
    ];

    public static readonly IReadOnlyDictionary<string, (ClaimStatus Status, string Because)> Expected = new Dictionary<string, (ClaimStatus, string)>
    {
        ["aurus-gift"] = (ClaimStatus.Confirmed, "This gift was personally selected by President Putin, as confirmed by Kremlin spokesperson Dmitry Peskov. ... Kim's sister, Kim Yo Jong, conveyed heartfelt gratitude towards President Putin, as reported by the Korean Central News Agency (KCNA)."),
        ["aurus-model"] = (ClaimStatus.Unconfirmed, "The Aurus Senat limousine, the model gifted, is the same vehicle used by Putin. (the article's own words; neither side is quoted naming the model)"),
        ["aurus-delivery"] = (ClaimStatus.Unconfirmed, "was delivered to Kim's representatives on February 18. (unattributed)"),
        ["personal-choice"] = (ClaimStatus.Confirmed, "Peskov recounted an earlier occasion when Kim had admired the vehicle during a visit to Russia, where Putin himself showcased it."),
        ["putins-own-car"] = (ClaimStatus.Unconfirmed, "is the same vehicle used by Putin. (unattributed)"),
        ["aurus-founded"] = (ClaimStatus.Unconfirmed, "a prestigious brand established in 2018 for crafting Russia's official state vehicles (unattributed)"),
        ["ballistic-protection"] = (ClaimStatus.Unconfirmed, "The car is claimed to offer exceptional ballistic protection (the manufacturer's own claim)"),
        ["september-inspection"] = (ClaimStatus.Unconfirmed, "According to Reuters, During a visit to Russia in September, Kim Jong Un had the opportunity to inspect this model of limousine."),
        ["car-collection"] = (ClaimStatus.Unconfirmed, "Kim Jong Un is known for his collection of high-end vehicles (unattributed)"),
        ["sanctions-breach"] = (ClaimStatus.Unconfirmed, "A spokesperson from South Korea's foreign ministry highlighted that these sanctions ... explicitly prohibit the supply of luxury vehicles to Pyongyang. (a third party asserts)"),
        ["support-for-russia"] = (ClaimStatus.Confirmed, "Kim Jong Un expressed solidarity with Russia in its \"sacred struggle to defend its state sovereignty\""),
        ["weapons-supply"] = (ClaimStatus.Unconfirmed, "However, both Russia and North Korea have not confirmed these allegations."),
        ["weapons-sanctions"] = (ClaimStatus.Unconfirmed, "If true, such actions would also violate U.N. sanctions (unattributed)"),
    };
}
