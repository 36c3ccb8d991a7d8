using System.Net;

namespace ClaimsTracker.IntegrationTests;

public sealed class ProjectionsAdminTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task projection_status_and_rebuilds_need_an_admin_key()
    {
        (await Api.Get("/api/admin/projections")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.Get("/api/admin/projections", AppFixture.EditorKey)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await Api.Post("/api/admin/projections/ClaimTimeline/rebuild", null)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await Api.Post("/api/admin/projections/ClaimTimeline/rebuild", null, key: null)).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task an_unknown_projection_is_a_404_that_names_the_known_ones()
    {
        var reply = await Api.Post("/api/admin/projections/Nope/rebuild", null, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.NotFound);
        reply.Field("detail")!.ShouldContain("ClaimTimeline");
        (await Api.Get("/api/admin/projections/Nope", AppFixture.AdminKey)).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_single_node_names_itself_as_the_node_of_every_async_projection_on_the_api_and_the_page()
    {
        var status = await Api.Get("/api/admin/projections", AppFixture.AdminKey);
        var page = await Api.Get("/ops/projections", AppFixture.AdminKey);

        status.Field("cluster").ShouldBe("false");
        var thisNode = status.Field("thisNode")!;
        status.Field("projections.0.node").ShouldBe(thisNode, status.Text);
        page.Text.ShouldContain($"data-cluster=\"no\" data-this-node=\"{thisNode}\"");
        foreach (var projection in new[] { "ClaimTimeline", "SourceProfile", "SourceStatement", "webhooks" })
        {
            var row = page.Text[page.Text.IndexOf($"<tr data-projection=\"{projection}\"", StringComparison.Ordinal)..];
            row[..row.IndexOf("</tr>", StringComparison.Ordinal)].ShouldContain($"<span data-node=\"{thisNode}\">this node</span>");
        }
    }

    [Fact]
    public async Task the_webhook_subscription_is_shown_but_never_replayed()
    {
        var all = await Api.Get("/api/admin/projections", AppFixture.AdminKey);
        all.Text.ShouldContain("\"kind\":\"subscription\"");

        var reply = await Api.Post("/api/admin/projections/webhooks/rebuild", null, AppFixture.AdminKey);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.Field("detail")!.ShouldContain("send every change again");
    }

    [Fact]
    public async Task a_rebuild_reports_its_progress_and_leaves_the_projection_caught_up_and_following()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await ProjectionsCaughtUp();

        var started = await Api.Post("/api/admin/projections/ClaimTimeline/rebuild", null, AppFixture.AdminKey);

        started.Status.ShouldBe(HttpStatusCode.Accepted, started.Text);
        started.Headers.Location!.ToString().ShouldBe("/api/admin/projections/ClaimTimeline");
        started.Field("startedBy").ShouldBe("test-admin");
        Reply progress;
        var polls = 0;
        do
        {
            await Task.Delay(50);
            progress = await Api.Get("/api/admin/projections/ClaimTimeline", AppFixture.AdminKey);
            progress.Status.ShouldBe(HttpStatusCode.OK, progress.Text);
        }
        while (progress.Field("rebuild.state") == "running" && ++polls < 600);

        progress.Field("rebuild.state").ShouldBe("finished", progress.Text);
        await Api.StatementFrom(id, "Kim Yo Jong", "North Korea", "denies", "2024-02-21T09:00:00Z");
        await ProjectionsCaughtUp();
        var all = await Api.Get("/api/admin/projections", AppFixture.AdminKey);
        all.Field("projections.0.lagEvents").ShouldBe("0", all.Text);
        all.Field("projections.1.lagEvents").ShouldBe("0", all.Text);
        var timeline = await Api.Get($"/api/claims/{id}/timeline");
        timeline.Field("version").ShouldBe("3", timeline.Text);
        timeline.Field("intervals.2.status").ShouldBe("disputed", timeline.Text);
        var verify = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        verify.Field("ok").ShouldBe("true", verify.Text);
    }

    [Fact]
    public async Task the_timeline_and_the_source_profiles_are_rebuilt_together_by_their_composite_and_keep_their_names()
    {
        string[] members = ["ClaimTimeline", "SourceProfile"];
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await ProjectionsCaughtUp();

        var started = await Api.Post("/api/admin/projections/SourceProfile/rebuild", null, AppFixture.AdminKey);

        started.Status.ShouldBe(HttpStatusCode.Accepted, started.Text);
        foreach (var member in members)
        {
            var rebuild = System.Text.Json.Nodes.JsonNode.Parse(await Finished(member))!;
            rebuild["startedAt"]!.ToString().ShouldBe(started.Field("startedAt"), $"{member} was not rebuilt in the same pass");
        }

        var status = await Api.Get("/api/admin/projections", AppFixture.AdminKey);
        var rows = status.Json["projections"]!.AsArray().Where(p => members.Contains(p!["name"]!.ToString())).ToList();
        rows.Count.ShouldBe(members.Length, status.Text);
        rows.ShouldAllBe(p => p!["runBy"]!.ToString() == "ReadModels" && p["lagEvents"]!.ToString() == "0");
        status.Json["projections"]!.AsArray().Single(p => p!["name"]!.ToString() == "SourceStatement")!["runBy"].ShouldBeNull();
        (await Api.Get("/ops/projections", AppFixture.AdminKey)).Text.ShouldContain("data-run-by=\"ReadModels\"");
        await Api.StatementFrom(id, "Kim Yo Jong", "North Korea", "denies", "2024-02-21T09:00:00Z");
        await ProjectionsCaughtUp();
        (await Api.Get($"/api/claims/{id}/timeline")).Field("version").ShouldBe("3");
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
    }

    [Fact]
    public async Task an_inline_projection_is_rebuilt_online_without_losing_a_concurrent_write()
    {
        var claims = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            claims.Add(await Api.RegisteredClaim(Scenarios.WeaponsClaim($"Claim {i}")));
            await Api.StatementFrom(claims[^1], "Dmitry Peskov", "Russia", "confirms");
        }

        await using (var connection = new Npgsql.NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = new Npgsql.NpgsqlCommand(
                "update claims.mt_doc_claimsummary set data = jsonb_set(data, '{statement}', '\"tampered\"')", connection);
            (await damage.ExecuteNonQueryAsync()).ShouldBe(6);
        }

        var started = await Api.Post("/api/admin/projections/ClaimSummary/rebuild", null, AppFixture.AdminKey);
        var writes = await Task.WhenAll(claims.Select(id => Api.Post($"/api/claims/{id}/statements",
            Scenarios.Statement("KCNA", "North Korea", "confirms", "2024-02-21T00:00:00Z"))));
        var rebuilds = await Finished("ClaimSummary");

        started.Status.ShouldBe(HttpStatusCode.Accepted, started.Text);
        writes.ShouldAllBe(w => w.Status == HttpStatusCode.OK);
        rebuilds.ShouldContain("6 of 6 claims");
        foreach (var (id, i) in claims.Select((id, i) => (id, i)))
        {
            var claim = await Api.Get($"/api/claims/{id}");
            claim.Field("statement").ShouldBe($"Claim {i}");
            claim.Field("status").ShouldBe("confirmed");
            claim.Field("version").ShouldBe("3");
        }

        await ProjectionsCaughtUp();
        var verified = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        verified.Field("ok").ShouldBe("true", verified.Text);
    }

    [Fact]
    public async Task every_projection_is_rebuilt_from_one_call()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");

        var started = await Api.Post("/api/admin/projections/rebuild", null, AppFixture.AdminKey);

        started.Status.ShouldBe(HttpStatusCode.Accepted, started.Text);
        var names = started.Json["rebuilds"]!.AsArray().Select(r => r!["projection"]!.ToString()).ToList();
        names.ShouldContain("ClaimSummary");
        names.ShouldContain("ClaimFact");
        names.ShouldContain("ClaimTimeline");
        names.ShouldNotContain("webhooks");
        foreach (var name in names)
        {
            await Finished(name);
        }

        await ProjectionsCaughtUp();
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
        (await Api.Status(id)).ShouldBe("partially_confirmed");
    }

    /// <summary>Polls the admin API until the projection's latest rebuild has finished; returns that answer.</summary>
    private async Task<string> Finished(string projection)
    {
        for (var poll = 0; poll < 600; poll++)
        {
            var all = await Api.Get("/api/admin/projections/rebuilds", AppFixture.AdminKey);
            var rebuild = all.Json["rebuilds"]!.AsArray().FirstOrDefault(r => r!["projection"]!.ToString() == projection);
            rebuild.ShouldNotBeNull(all.Text);
            if (rebuild["state"]!.ToString() != "running")
            {
                rebuild["state"]!.ToString().ShouldBe("finished", all.Text);
                return rebuild.ToJsonString();
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the rebuild of {projection} did not finish in 30 s");
    }
}
