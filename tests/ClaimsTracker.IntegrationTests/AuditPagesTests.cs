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
}
