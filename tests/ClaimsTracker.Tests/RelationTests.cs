using ClaimsTracker.Claims;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public class RelationTests
{
    private static readonly Guid Gift = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-000000000001");
    private static readonly Guid Other = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-000000000002");

    private static ClaimRelated Related(RelationKind kind, Guid other) => new(ClaimId, kind, other, null, Day(27), "desk-editor");

    private static Decision Relate(Claim claim, string kind, Guid other, bool exists = true) =>
        RelateClaimEndpoint.Decide(claim, new RelateClaim(kind, other, " the gift is the premise ", null), exists, Editor);

    [Fact]
    public void relating_records_the_kind_the_other_claim_and_the_note()
    {
        var decision = Relate(Given(), "depends_on", Gift);

        decision.Problem.ShouldBeNull();
        var e = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<ClaimRelated>();
        (e.Kind, e.OtherClaimId, e.Note).ShouldBe((RelationKind.DependsOn, Gift, "the gift is the premise"));
    }

    [Fact]
    public void a_claim_cannot_relate_to_itself() =>
        Relate(Given(), "same_as", ClaimId).Problem.ShouldNameOnly("claimId", "a claim cannot be related to itself; give the id of another claim");

    [Fact]
    public void relating_to_an_unknown_claim_is_a_404() =>
        Relate(Given(), "depends_on", Gift, exists: false).Problem.ShouldNotBeNull().Status.ShouldBe(404);

    [Fact]
    public void relating_again_replaces_the_kind_and_unrelating_removes_it()
    {
        var claim = Given(Related(RelationKind.DependsOn, Gift), Related(RelationKind.Contradicts, Gift), Related(RelationKind.SameAs, Other));

        claim.Relations.ShouldBe([new ClaimRelation(RelationKind.Contradicts, Gift, null), new ClaimRelation(RelationKind.SameAs, Other, null)]);
        claim.Then(5, new ClaimUnrelated(ClaimId, Gift, Day(28), "desk-editor")).Relations.ShouldBe([new ClaimRelation(RelationKind.SameAs, Other, null)]);
    }

    [Fact]
    public void unrelating_a_claim_not_related_is_a_404() =>
        UnrelateClaimEndpoint.Decide(Given(), new UnrelateClaim(Gift, null), Editor).Problem.ShouldNotBeNull().Status.ShouldBe(404);

    [Fact]
    public void a_claim_duplicates_at_most_one_other() =>
        Relate(Given(Related(RelationKind.SameAs, Other)), "same_as", Gift).Problem.FieldErrors().Keys.ShouldBe(["kind"]);

    [Fact]
    public void relations_are_capped_and_the_next_new_one_is_refused()
    {
        var full = Given(Enumerable.Range(1, ClaimRelation.Max).Select(i => (object)Related(RelationKind.Contradicts, Guid.CreateVersion7())).ToArray());

        Relate(full, "depends_on", Gift).Problem.FieldErrors().Keys.ShouldBe(["claimId"]);
        Relate(full, "depends_on", full.Relations[0].ClaimId).Problem.ShouldBeNull();
    }

    [Theory]
    [InlineData(new[] { ClaimStatus.Confirmed, ClaimStatus.Confirmed }, Premise.Holds)]
    [InlineData(new[] { ClaimStatus.Confirmed, ClaimStatus.PartiallyConfirmed }, Premise.Open)]
    [InlineData(new[] { ClaimStatus.Confirmed, ClaimStatus.Refuted }, Premise.Fails)]
    [InlineData(new[] { ClaimStatus.Unconfirmed, ClaimStatus.Denied }, Premise.Fails)]
    [InlineData(new[] { ClaimStatus.Retracted }, Premise.Fails)]
    [InlineData(new[] { ClaimStatus.Misleading }, Premise.Open)]
    public void the_premise_holds_when_every_depended_claim_is_confirmed_and_fails_when_one_is_refuted_denied_or_retracted(
        ClaimStatus[] statuses, Premise premise)
    {
        var relations = statuses.Select(_ => new ClaimRelation(RelationKind.DependsOn, Guid.CreateVersion7(), null)).ToArray();
        var byId = relations.Zip(statuses).ToDictionary(x => x.First.ClaimId, x => x.Second);

        ClaimRelation.PremiseOf(relations, id => byId[id]).ShouldBe(premise);
    }

    [Fact]
    public void a_claim_without_premises_has_no_premise_whatever_else_it_names() =>
        ClaimRelation.PremiseOf([new ClaimRelation(RelationKind.SameAs, Gift, null), new ClaimRelation(RelationKind.Contradicts, Other, null)],
            _ => ClaimStatus.Refuted).ShouldBeNull();
}
