using System.Net;

namespace ClaimsTracker.IntegrationTests;

public sealed class AuditPagesTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_replay_page_steps_through_the_claim_event_by_event()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies");

        var first = await Api.Get($"/claims/{id}/replay");
        var second = await Api.Get($"/claims/{id}/replay?step=2");
        var beyond = await Api.Get($"/claims/{id}/replay?step=99");

        first.Status.ShouldBe(HttpStatusCode.OK);
        first.Text.ShouldContain("step 1 of 3");
        first.Text.ShouldContain("claim_registered");
        first.Text.ShouldContain($"href=\"/claims/{id}/replay?step=2\"");
        second.Text.ShouldContain("statement_recorded");
        second.Text.ShouldContain("stance of Russia: open → <strong>confirms</strong>");
        second.Text.ShouldContain("status: unconfirmed → <strong>partially_confirmed</strong>");
        beyond.Text.ShouldContain("step 3 of 3");
        beyond.Text.ShouldContain("disputed");
        (await Api.Get($"/claims/{Guid.NewGuid()}/replay")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task the_corrections_log_lists_every_correction_with_its_reason_and_hostile_text_stays_inert()
    {
        var id = await Api.RegisteredClaim(Scenarios.WeaponsClaim("<script>alert(1)</script> claim"));
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        var empty = await Api.Get("/corrections");
        await Api.Post($"/api/claims/{id}/corrections", new { reason = "Misheard <b>quote</b>", correctsVersion = 2, stance = "denies" });

        var log = await Api.Get("/corrections");

        empty.Text.ShouldContain("No correction has been recorded.");
        log.Status.ShouldBe(HttpStatusCode.OK);
        log.Text.ShouldContain("Misheard &lt;b&gt;quote&lt;/b&gt;");
        log.Text.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt; claim");
        log.Text.ShouldNotContain("<script>");
        log.Text.ShouldContain("Event 2: stance to denies");
        log.Text.ShouldContain($"/claims/{id}/replay?step=3");
        log.Text.ShouldContain("test-editor");
    }

    [Fact]
    public async Task a_late_replay_page_read_from_its_checkpoint_equals_the_same_steps_of_a_replay_from_the_start()
    {
        var id = await Api.RegisteredClaim();
        var statements = Enumerable.Range(0, 259).Select(i => Scenarios.Statement(
            $"Source {i}", (i % 3) switch { 0 => "Russia", 1 => "North Korea", _ => null }, i % 2 == 0 ? "confirms" : "denies",
            $"2024-02-{20 + i % 7}T00:00:00Z")).ToArray();
        (await Api.Post($"/api/claims/{id}/statements/batch", new { statements })).Status.ShouldBe(HttpStatusCode.OK);
        var beforeCheckpoints = await Api.Get($"/api/claims/{id}/replay?page=5&pageSize=50");
        await ProjectionsCaughtUp();

        var whole = (await Api.Get($"/api/claims/{id}/replay?pageSize=500")).Json["steps"]!.AsArray();
        var late = await Api.Get($"/api/claims/{id}/replay?page=5&pageSize=50");
        var last = await Api.Get($"/api/claims/{id}/replay?page=260&pageSize=1");

        late.Json["total"]!.GetValue<long>().ShouldBe(260);
        late.Json["steps"]!.ToJsonString().ShouldBe(new System.Text.Json.Nodes.JsonArray(
            whole.Skip(200).Take(50).Select(s => s!.DeepClone()).ToArray()).ToJsonString());
        beforeCheckpoints.Json["steps"]!.ToJsonString().ShouldBe(late.Json["steps"]!.ToJsonString());
        last.Json["steps"]![0]!.ToJsonString().ShouldBe(whole[259]!.ToJsonString());
    }
}
