using System.Net;

namespace ClaimsTracker.IntegrationTests;

public sealed class RelationsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private Task<Reply> Relate(string id, string kind, string other) =>
        Api.Post($"/api/claims/{id}/relations", new { kind, claimId = other, note = "the article ties them" });

    [Fact]
    public async Task a_claim_depending_on_another_shows_it_and_its_premise_as_the_other_claim_now_reads()
    {
        var gift = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Putin gave Kim Jong Un an Aurus car"));
        var sanctions = await Api.RegisteredClaim(Scenarios.WeaponsClaim("The gift breaches U.N. sanctions"));

        var reply = await Relate(sanctions, "depends_on", gift);
        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        reply.Field("version").ShouldBe("2");

        var claim = await Api.Get($"/api/claims/{sanctions}");
        claim.Field("relations.0.kind").ShouldBe("depends_on");
        claim.Field("relations.0.claimId").ShouldBe(gift);
        claim.Field("relations.0.statement").ShouldBe("Putin gave Kim Jong Un an Aurus car");
        claim.Field("relations.0.status").ShouldBe("unconfirmed");
        claim.Field("premise").ShouldBe("open");

        await Api.StatementFrom(gift, "Dmitry Peskov", "Russia", "confirms");
        await Api.StatementFrom(gift, "KCNA", "North Korea", "confirms");
        (await Api.Get($"/api/claims/{sanctions}")).Field("premise").ShouldBe("holds");

        await Api.StatementFrom(gift, "KCNA", "North Korea", "denies", "2024-02-21T09:00:00Z");
        (await Api.Get($"/api/claims/{sanctions}")).Field("premise").ShouldBe("open");
        (await Api.Post($"/api/claims/{gift}/verdicts", new { verdict = "false", rationale = "no car" })).Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Get($"/api/claims/{sanctions}")).Field("premise").ShouldBe("fails");
    }

    [Fact]
    public async Task unrelating_removes_the_relation_and_a_claim_without_premises_has_a_null_premise()
    {
        var one = await Api.RegisteredClaim();
        var other = await Api.RegisteredClaim();
        (await Relate(one, "same_as", other)).Status.ShouldBe(HttpStatusCode.OK);
        (await Api.Get($"/api/claims/{one}")).Field("relations.0.kind").ShouldBe("same_as");
        (await Api.Get($"/api/claims/{one}")).Json["premise"].ShouldBeNull();

        var removed = await Api.Send(HttpMethod.Delete, $"/api/claims/{one}/relations/{other}", null, AppFixture.EditorKey);
        removed.Status.ShouldBe(HttpStatusCode.OK, removed.Text);
        removed.Field("version").ShouldBe("3");
        (await Api.Get($"/api/claims/{one}")).Json["relations"]!.AsArray().ShouldBeEmpty();

        var again = await Api.Send(HttpMethod.Delete, $"/api/claims/{one}/relations/{other}", null, AppFixture.EditorKey);
        again.Status.ShouldBe(HttpStatusCode.NotFound, again.Text);
        (await Api.Get($"/api/claims/{one}/history")).Field("items.1.type").ShouldBe("claim_related");
        (await Api.Get($"/api/claims/{one}/history")).Field("items.2.type").ShouldBe("claim_unrelated");
    }

    [Fact]
    public async Task bad_relations_get_problems_and_record_nothing()
    {
        var one = await Api.RegisteredClaim();

        var bad = await Api.Post($"/api/claims/{one}/relations", new { kind = "implies" });
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Json["errors"]!["kind"].ShouldNotBeNull();
        bad.Json["errors"]!["claimId"].ShouldNotBeNull();

        (await Relate(one, "depends_on", one)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Relate(one, "depends_on", Guid.NewGuid().ToString())).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Relate(Guid.NewGuid().ToString(), "depends_on", one)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Api.Get($"/api/claims/{one}")).Field("version").ShouldBe("1");
    }

    [Fact]
    public async Task a_duplicate_is_listed_under_the_claim_it_repeats_on_the_board_and_still_listed_by_the_api()
    {
        var original = await Api.RegisteredClaim(Scenarios.WeaponsClaim("North Korea sent missiles to Russia"));
        var duplicate = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Pyongyang shipped rockets to Moscow"));
        (await Relate(duplicate, "same_as", original)).Status.ShouldBe(HttpStatusCode.OK);

        var board = (await Api.Get("/")).Text;
        var rows = board.Split("<tr>").Where(r => r.Contains("Pyongyang shipped rockets to Moscow", StringComparison.Ordinal)).ToList();
        rows.ShouldHaveSingleItem().ShouldContain("North Korea sent missiles to Russia");
        rows[0].ShouldContain("class=\"duplicates\"");

        var listed = await Api.Get("/api/claims");
        listed.Field("total").ShouldBe("2");
        listed.Json["items"]!.AsArray().Single(i => i!["id"]!.ToString() == duplicate)!["duplicateOf"]!.ToString().ShouldBe(original);
    }

    [Fact]
    public async Task the_claim_page_shows_the_related_claims_and_the_premise()
    {
        var gift = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Putin gave Kim Jong Un a car"));
        var breach = await Api.RegisteredClaim(Scenarios.WeaponsClaim("The gift breaches U.N. sanctions"));
        await Relate(breach, "depends_on", gift);

        var page = (await Api.Get($"/claims/{breach}")).Text;

        page.ShouldContain("Related claims");
        page.ShouldContain($"href=\"/claims/{gift}\">Putin gave Kim Jong Un a car</a>");
        page.ShouldContain("data-premise=\"open\"");
    }
}
