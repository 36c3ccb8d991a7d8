using System.Net;
using System.Text.Json.Nodes;
using ClaimsTracker.Claims;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// History, replay and the per-claim export of a long claim, counted in the rows their queries return: a read of the
/// whole stream would bring back every event.
/// </summary>
public sealed class PagedReadsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const int Events = 601;

    [Fact]
    public async Task a_history_page_of_a_long_claim_reads_only_its_own_events()
    {
        var id = await LongClaim();

        var page = await Fixture.ReadCost(Api, $"/api/claims/{id}/history?page=30&pageSize=10");

        page.Status.ShouldBe(HttpStatusCode.OK, page.Text);
        var json = JsonNode.Parse(page.Text)!;
        json["items"]!.AsArray().Select(i => i!["version"]!.GetValue<long>()).ShouldBe(Enumerable.Range(291, 10).Select(v => (long)v));
        json["total"]!.GetValue<long>().ShouldBe(Events);
        page.EventReads.Sum().ShouldBe(10, page.ToString());
        page.Rows.ShouldBeLessThan(20, page.ToString());
    }

    [Fact]
    public async Task a_replay_page_of_a_long_claim_reads_from_the_checkpoint_before_it_not_the_stream()
    {
        var id = await LongClaim();

        var api = await Fixture.ReadCost(Api, $"/api/claims/{id}/replay?page=45&pageSize=10");
        var page = await Fixture.ReadCost(Api, $"/claims/{id}/replay?step=550");

        api.Status.ShouldBe(HttpStatusCode.OK, api.Text);
        JsonNode.Parse(api.Text)!["steps"]!.AsArray().Select(s => s!["version"]!.GetValue<long>())
            .ShouldBe(Enumerable.Range(441, 10).Select(v => (long)v));
        // from the checkpoint before the page: the events between, then the page's own
        api.EventReads.Sum().ShouldBe(50, api.ToString());
        api.Rows.ShouldBeLessThan(SummaryCheckpointProjection.Every, api.ToString());
        page.Status.ShouldBe(HttpStatusCode.OK, page.Text);
        page.Text.ShouldContain("step 550 of 601");
        page.EventReads.Sum().ShouldBe(50, page.ToString());
        page.Rows.ShouldBeLessThan(SummaryCheckpointProjection.Every, page.ToString());
    }

    [Fact]
    public async Task the_export_of_a_long_claim_streams_it_in_pages_never_the_whole_stream_in_one_read()
    {
        var id = await LongClaim();

        var export = await Fixture.ReadCost(Api, $"/api/claims/{id}/events.ndjson");

        export.Status.ShouldBe(HttpStatusCode.OK, export.Text);
        export.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(Events);
        export.EventReads.Sum().ShouldBe(Events, export.ToString());
        export.EventReads.Max().ShouldBeLessThanOrEqualTo(250, export.ToString());
        export.EventReadsBeforeFirstLine.ShouldBeLessThan(export.EventReads.Count, export.ToString());
    }

    /// <summary>A claim of <see cref="Events"/> events, and every checkpoint of it taken.</summary>
    [Fact]
    public async Task a_kept_list_page_is_checked_by_the_snapshot_alone_and_by_the_appends_only_after_a_commit()
    {
        var id = await Api.RegisteredClaim();
        const string url = "/api/claims?pageSize=7";
        _ = await Api.Get(url);

        // the daemon's bookkeeping commits a few times a second, so of several reads some meet an unchanged snapshot
        var kept = new List<ReadCost>();
        for (var i = 0; i < 8; i++)
        {
            kept.Add(await Fixture.ReadCost(Api, url));
        }

        var costs = string.Join("\n--\n", kept);
        kept.ShouldContain(c => c.Commands.Count == 1 && c.Commands[0].Sql.Contains("pg_current_snapshot"), costs);
        kept.ShouldAllBe(c => !c.Commands.Any(x => x.Sql.Contains("mt_doc_claimsummary")), costs);

        await using (var connection = new Npgsql.NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var commit = new Npgsql.NpgsqlCommand("select txid_current()", connection);
            await commit.ExecuteScalarAsync();
        }

        var afterCommit = await Fixture.ReadCost(Api, url);
        afterCommit.Commands.ShouldContain(c => c.Sql.Contains("mt_streams"), afterCommit.ToString());
        afterCommit.Commands.ShouldNotContain(c => c.Sql.Contains("mt_doc_claimsummary"), afterCommit.ToString());

        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        var afterAppend = await Fixture.ReadCost(Api, url);
        afterAppend.Commands.ShouldContain(c => c.Sql.Contains("mt_doc_claimsummary"), afterAppend.ToString());
        JsonNode.Parse(afterAppend.Text)!["items"]![0]!["status"]!.GetValue<string>().ShouldBe("partially_confirmed");
    }

    private async Task<string> LongClaim()
    {
        var id = await Api.RegisteredClaim();
        for (var done = 0; done < Events - 1; done += 200)
        {
            var statements = Enumerable.Range(done, 200).Select(i => Scenarios.Statement(
                $"Source {i % 40}", (i % 3) switch { 0 => "Russia", 1 => "North Korea", _ => null }, i % 2 == 0 ? "confirms" : "denies",
                $"2024-02-{20 + i % 7}T00:00:00Z")).ToArray();
            (await Api.Post($"/api/claims/{id}/statements/batch", new { statements })).Status.ShouldBe(HttpStatusCode.OK);
        }

        await ProjectionsCaughtUp();
        return id;
    }
}
