using System.Net;
using System.Text.RegularExpressions;
using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

public sealed partial class PublicLogDashboardTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_projections_page_shows_the_logs_size_checkpoint_key_and_the_delays_of_the_sequencer_here()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await ProjectionsCaughtUp();

        var page = await Api.Get("/ops/projections");
        var checkpoint = await Api.Get("/log/checkpoint");
        var key = await Api.Get("/api/audit/log/key");
        var status = await Api.Get("/api/admin/projections", AppFixture.AdminKey);

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("<span class=\"number\" id=\"log-size\">2</span> leaves · every stored event is in it");
        page.Text.ShouldContain("data-sequencer=\"this_node\"");
        page.Text.ShouldContain("<dd id=\"log-sequencer\">runs on this node</dd>");
        WebUtility.HtmlDecode(Between(page.Text, "<pre id=\"log-checkpoint\">", "</pre>")).ShouldBe(checkpoint.Text);
        checkpoint.Text.ShouldStartWith("claimstracker.local/log\n2\n");
        WebUtility.HtmlDecode(Between(page.Text, "<code id=\"log-key\">", "</code>")).ShouldBe(key.Text);
        var delay = WebUtility.HtmlDecode(StripTags(Between(page.Text, "<dd id=\"log-delay\">", "</dd>")));
        delay.ShouldMatch(@"^p50 \d+(\.\d)? ms, p99 \d+(\.\d)? ms over the last \d+ batch(es)? · allowed: 1000 ms \(Audit:MaxIntegrationDelay\)$");
        // the test host signs with the published development key, and the page says what that means
        page.Text.ShouldContain("the published development key: anyone can forge these checkpoints; set Audit:SigningKey");
        status.Field("log.developmentKey").ShouldBe("true", status.Text);
        status.Field("log.treeSize").ShouldBe("2", status.Text);
        status.Field("log.sequencer").ShouldBe("this_node", status.Text);
        status.Field("log.checkpoint").ShouldBe(checkpoint.Text);
    }

    [Fact]
    public async Task a_node_that_does_not_run_the_sequencer_shows_the_stored_head_and_no_delays_of_its_own()
    {
        await Api.RegisteredClaim();
        await Fixture.LogCaughtUp();
        var services = Fixture.Host.Services;
        var follower = new PublicLogWatch(new LogReader(Fixture.Store), new LogStatus(), services.GetRequiredService<LogKeys>(),
            services.GetRequiredService<IOptions<LogOptions>>());
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();

        var seen = await follower.Read(connection, latestEvent: 1, CancellationToken.None);

        seen.TreeSize.ShouldBe(1);
        seen.EventsBehind.ShouldBe(0);
        seen.Checkpoint.ShouldBe((await Api.Get("/log/checkpoint")).Text);
        seen.SignedBy.ShouldBe((await Api.Get("/api/audit/log/key")).Text);
        // this host's sequencer holds the log's lock, so the follower names another node, not none
        seen.Sequencer.ShouldBe(PublicLogProgress.AnotherNode);
        seen.DelayP50Ms.ShouldBeNull();
        seen.DelaysMeasured.ShouldBe(0);
    }

    [Fact]
    public async Task the_claim_history_shows_each_events_leaf_and_a_verify_control_or_that_it_is_not_yet_in_the_log()
    {
        var id = await Api.RegisteredClaim();
        await Fixture.LogCaughtUp();
        await using var holder = new NpgsqlConnection(Fixture.ConnectionString);
        await holder.OpenAsync();
        // a writer that took the next sequence number and has not committed: the log must wait for it
        await using var held = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("select nextval('claims.mt_events_sequence')", holder, held))
        {
            await take.ExecuteScalarAsync();
        }

        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        var waiting = await Api.Get($"/claims/{id}");
        await held.RollbackAsync();
        await Fixture.LogCaughtUp();
        var integrated = await Api.Get($"/claims/{id}");
        var history = await Api.Get($"/api/claims/{id}/history");

        waiting.Text.ShouldContain("<script src=\"/logverify.js\" defer></script>");
        Row(waiting.Text, 1).ShouldContain($"data-verify-leaf=\"0\" data-claim=\"{id}\" data-version=\"1\"");
        Row(waiting.Text, 2).ShouldContain("<span class=\"meta\" data-leaf=\"\">not yet in the log</span>");
        Row(waiting.Text, 2).ShouldContain($"data-verify-leaf=\"\" data-claim=\"{id}\" data-version=\"2\"");
        history.Field("items.1.leafIndex").ShouldBe("1", history.Text);
        Row(integrated.Text, 2).ShouldContain("<span data-leaf=\"1\">leaf 1</span>");
        Row(integrated.Text, 2).ShouldContain($"<button type=\"button\" class=\"verify\" data-verify-leaf=\"1\" data-claim=\"{id}\" data-version=\"2\"");
        var script = await Api.Get("/logverify.js");
        script.Status.ShouldBe(HttpStatusCode.OK);
        script.ContentType.ShouldBe("text/javascript");
    }

    [Fact]
    public async Task a_leaf_entry_is_the_object_whose_jcs_bytes_hash_to_the_leaf_until_its_event_is_changed_in_the_store()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await Fixture.LogCaughtUp();

        var entry = await Api.Get("/api/audit/log/entry?leafIndex=1");
        var proof = await Api.Get("/api/audit/log/proof/inclusion?leafIndex=1&treeSize=2");
        await Tamper(id, version: 2);
        var tampered = await Api.Get("/api/audit/log/entry?leafIndex=1");

        entry.Status.ShouldBe(HttpStatusCode.OK, entry.Text);
        entry.Field("leafIndex").ShouldBe("1");
        entry.Field("entry.claimId").ShouldBe(id);
        entry.Field("entry.version").ShouldBe("2");
        entry.Field("entry.type").ShouldBe("statement_recorded");
        entry.Field("entry.idempotencyKey").ShouldBeNull();
        entry.Json["entry"]!.AsObject().ContainsKey("idempotencyKey").ShouldBeTrue("a null member is part of the entry's JCS bytes");
        LeafHash(entry).ShouldBe(proof.Field("leafHash"));
        tampered.Field("entry.data.quote").ShouldBe("We never said that.");
        LeafHash(tampered).ShouldNotBe(proof.Field("leafHash"));
    }

    [Fact]
    public async Task a_leaf_entry_needs_a_leaf_index_the_latest_checkpoint_covers_and_reports_an_event_gone_from_the_store()
    {
        var id = await Api.RegisteredClaim();
        await Fixture.LogCaughtUp();

        var missing = await Api.Get("/api/audit/log/entry");
        var beyond = await Api.Get("/api/audit/log/entry?leafIndex=1");
        var negative = await Api.Get("/api/audit/log/entry?leafIndex=-1");
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand($"delete from claims.mt_events where stream_id = '{id}'", connection);
            (await delete.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var gone = await Api.Get("/api/audit/log/entry?leafIndex=0");

        foreach (var refused in new[] { missing, beyond, negative })
        {
            refused.Status.ShouldBe(HttpStatusCode.BadRequest, refused.Text);
            refused.ContentType.ShouldBe("application/problem+json");
            refused.Field("errors.leafIndex.0")!.ShouldContain("below the latest checkpoint's size (1)");
        }

        gone.Status.ShouldBe(HttpStatusCode.InternalServerError);
        gone.Field("title").ShouldBe("An integrated event is missing from the store");
        gone.Field("detail")!.ShouldContain("Leaf 0 has no event");
    }

    private async Task Tamper(string claimId, long version)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand(
            $"update claims.mt_events set data = jsonb_set(data, '{{quote}}', '\"We never said that.\"') where stream_id = '{claimId}' and version = {version}",
            connection);
        (await update.ExecuteNonQueryAsync()).ShouldBe(1);
    }

    private static string LeafHash(Reply entry) =>
        Convert.ToBase64String(Merkle.LeafHash(Jcs.Canonicalize(entry.Json["entry"]!.ToJsonString())));

    private static string Row(string html, long version) => Between(html, $"<tr id=\"event-{version}\">", "</tr>");

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        from.ShouldBeGreaterThanOrEqualTo(0, $"'{start}' is missing");
        from += start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static string StripTags(string html) => Tags().Replace(html, "").Trim();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
