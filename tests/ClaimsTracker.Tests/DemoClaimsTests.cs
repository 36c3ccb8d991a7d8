using ClaimsTracker.Claims;
using ClaimsTracker.Demo;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

/// <summary>The demo's claims decided and folded as the loader writes them: each ends at the status the article justifies.</summary>
public class DemoClaimsTests
{
    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static Claim Loaded(ArticleClaims.DemoClaim demo)
    {
        RegisterClaimEndpoint.Validate(demo.Registration, Clock).Status.ShouldBeNull(demo.Key);
        var claim = Claim.Create(RegisterClaimEndpoint.Decide(Guid.CreateVersion7(), demo.Registration, Editor));
        foreach (var statement in demo.Statements)
        {
            RecordStatementEndpoint.Validate(statement, Clock).Status.ShouldBeNull(demo.Key);
            claim = RecordStatementEndpoint.Decide(claim, statement, Editor).Events.Aggregate(claim, (c, e) => c.Then(c.Version + 1, e));
        }

        return claim;
    }

    [Fact]
    public void every_demo_claim_ends_at_the_status_the_article_justifies()
    {
        var statuses = ArticleClaims.All.ToDictionary(c => c.Key, c => Loaded(c).Status);

        statuses.ShouldBe(ArticleClaims.Expected.ToDictionary(e => e.Key, e => e.Value.Status), ignoreOrder: true);
    }

    [Fact]
    public void the_article_quotes_only_kim_jong_uns_words_and_dates_them_to_the_month_of_the_leaders_meeting()
    {
        var support = ArticleClaims.All.Single(c => c.Key == "support-for-russia").Statements.ShouldHaveSingleItem();

        support.Quote.ShouldBe("sacred struggle to defend its state sovereignty");
        support.StatedAt!.Value.Value.ShouldBe(new WorldTime(new DateTimeOffset(2023, 9, 1, 0, 0, 0, TimeSpan.Zero), TimePrecision.Month));
    }

    [Fact]
    public void confirmations_of_the_gift_do_not_confirm_the_model_or_the_delivery_date()
    {
        var gift = ArticleClaims.All.Single(c => c.Key == "aurus-gift");

        gift.Registration.Statement.ShouldNotBeNull().ShouldNotContain("Senat");
        gift.Registration.Statement.ShouldNotContain("18");
        ArticleClaims.All.Where(c => c.Key is "aurus-model" or "aurus-delivery").ShouldAllBe(c => c.Statements.Length == 0);
    }

    [Fact]
    public void the_sanctions_claims_depend_on_the_claims_they_presuppose_and_every_relation_names_a_demo_claim()
    {
        var keys = ArticleClaims.All.Select(c => c.Key).ToHashSet();
        var relations = ArticleClaims.All.SelectMany(c => (c.Relations ?? []).Select(r => (c.Key, r.Kind, r.Key))).ToList();

        relations.ShouldBe([("sanctions-breach", "depends_on", "aurus-gift"), ("weapons-sanctions", "depends_on", "weapons-supply")], ignoreOrder: true);
        relations.ShouldAllBe(r => keys.Contains(r.Item3));
        relations.ShouldAllBe(r => Words.All<RelationKind>().Contains(r.Kind));
        var statuses = ArticleClaims.All.ToDictionary(c => c.Key, c => Loaded(c).Status);
        ClaimRelation.PremiseOf([new(RelationKind.DependsOn, Guid.Empty, null)], _ => statuses["aurus-gift"]).ShouldBe(Premise.Holds);
        ClaimRelation.PremiseOf([new(RelationKind.DependsOn, Guid.Empty, null)], _ => statuses["weapons-supply"]).ShouldBe(Premise.Open);
    }
}
