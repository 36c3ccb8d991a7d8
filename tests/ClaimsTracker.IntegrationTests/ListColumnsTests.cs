using System.Net;
using ClaimsTracker.Claims;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// The list's party, topic and text filters read columns copied from each summary (ClaimSummary.ConfigureMarten), and
/// a page reads its ids first, then only its own summaries: the answers must be the ones the documents give.
/// </summary>
public sealed class ListColumnsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_text_filter_finds_a_corrected_statement_and_no_longer_the_old_one()
    {
        var id = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Original wording about missiles"));
        (await Ids("/api/claims?q=original")).ShouldBe([id]);

        var correction = await Api.Post($"/api/claims/{id}/corrections", new { reason = "Wording", statement = "Corrected wording about rockets" });
        correction.Status.ShouldBe(HttpStatusCode.OK, correction.Text);

        (await Ids("/api/claims?q=original")).ShouldBeEmpty();
        (await Ids("/api/claims?q=ROCKETS")).ShouldBe([id]);
    }

    [Fact]
    public async Task summaries_stored_before_the_columns_existed_are_found_once_the_schema_is_applied()
    {
        var weapons = await Api.RegisteredClaim();
        var gift = await Api.RegisteredClaim(new
        {
            statement = "Putin gave Kim Jong Un an Aurus Senat limousine",
            parties = new[] { "Russia", "North Korea" },
            topics = new[] { "Aurus" },
            firstReport = new { outlet = "KCNA", publishedAt = "2024-02-20T00:00:00Z" },
        });

        // one party of two confirms: a status of two words, which the JSON stores as partially_confirmed
        var said = await Api.StatementFrom(gift, "Peskov", "Russia", "confirms");
        said.Field("status").ShouldBe("partially_confirmed");
        (await Ids("/api/claims?status=partially_confirmed")).ShouldBe([gift]);

        // a store of the earlier schema: the summaries without the columns
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand(
                "alter table claims.mt_doc_claimsummary drop column status, drop column parties, drop column topics, drop column statement",
                connection);
            await drop.ExecuteNonQueryAsync();
        }

        // what the service does at start-up (ApplyAllDatabaseChangesOnStartup): the columns come back filled from the JSON
        await Fixture.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        (await Ids("/api/claims?party=RUSSIA")).ShouldBe([gift, weapons]);
        (await Ids("/api/claims?party=north%20korea&topic=Aurus")).ShouldBe([gift]);
        (await Ids("/api/claims?q=limousine")).ShouldBe([gift]);
        (await Ids("/api/claims?topic=weapons&q=rockets")).ShouldBe([weapons]);
        (await Ids("/api/claims?status=partially_confirmed")).ShouldBe([gift]);
        (await Ids("/api/claims?status=unconfirmed&party=russia")).ShouldBe([weapons]);

        // a write after that stores the status as written by the service again: both are found
        var other = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Another claim about missiles"));
        (await Api.StatementFrom(other, "Peskov", "Russia", "confirms")).Field("status").ShouldBe("partially_confirmed");
        (await Ids("/api/claims?status=partially_confirmed")).ShouldBe([other, gift]);
        (await Ids("/api/claims?status=unconfirmed")).ShouldBe([weapons]);
    }

    [Fact]
    public async Task filtered_pages_walk_every_match_once_newest_first_and_same_instant_claims_by_id()
    {
        var projection = new ClaimSummaryProjection();
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        // 60 claims changed at 20 instants, three at each; every other one is Russia's, every third about topic-1
        var summaries = Enumerable.Range(0, 60).Select(i =>
        {
            var id = Guid.NewGuid();
            var registered = new ClaimRegistered(id, $"Paged claim {i:D2}", i % 2 == 0 ? ["Russia", "North Korea"] : ["North Korea"],
                ["paging", $"topic-{i % 3}"], new Article("Example Wire", "https://example.org/paging", "Paging", start), "test");
            return projection.Evolve(null, id, new Event<ClaimRegistered>(registered) { Version = 1, Timestamp = start.AddMinutes(i / 3) })!;
        }).ToList();
        await Fixture.Store.BulkInsertDocumentsAsync(summaries);

        var expected = summaries.Where(s => s.Parties.Contains("Russia") && s.Topics.Contains("topic-1"))
            .OrderByDescending(s => s.LastChangedAt).ThenBy(s => s.Id.ToString(), StringComparer.Ordinal)
            .Select(s => s.Id.ToString()).ToArray();
        expected.Length.ShouldBe(10);

        var walked = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var reply = await Api.Get($"/api/claims?party=russia&topic=topic-1&page={page}&pageSize=3");
            reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
            reply.Field("total").ShouldBe("10");
            walked.AddRange(reply.Json["items"]!.AsArray().Select(i => i!["id"]!.ToString()));
        }

        walked.ShouldBe(expected);
        (await Ids("/api/claims?party=russia&topic=topic-1&page=5&pageSize=3")).ShouldBeEmpty();

        var board = await Api.Get("/?party=russia&topic=topic-1&page=2");
        board.Status.ShouldBe(HttpStatusCode.OK);
        board.Text.ShouldContain("Nothing on page 2");
        var boardPage = await Api.Get("/?party=russia&topic=topic-1");
        boardPage.Text.ShouldContain("Claims 1–10 of 10");
        foreach (var s in summaries.Where(s => s.Parties.Contains("Russia") && s.Topics.Contains("topic-1")))
        {
            boardPage.Text.ShouldContain($"/claims/{s.Id}");
        }
    }

    private async Task<string[]> Ids(string url)
    {
        var reply = await Api.Get(url);
        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        return reply.Json["items"]!.AsArray().Select(i => i!["id"]!.ToString()).ToArray();
    }
}
