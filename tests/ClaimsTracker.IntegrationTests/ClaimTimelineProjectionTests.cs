using System.Net;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The daemon's timeline: extended fact by fact, derived again from the fact rows when it cannot be.</summary>
public sealed class ClaimTimelineProjectionTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task a_back_dated_statement_is_placed_by_deriving_the_timeline_again_from_the_fact_rows()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-22T00:00:00Z");
        await ProjectionsCaughtUp();
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-21T00:00:00Z");
        await ProjectionsCaughtUp();

        var kept = await Api.Get($"/api/claims/{id}/timeline");

        kept.Field("version").ShouldBe("3");
        Statuses(kept).ShouldBe(["unconfirmed", "denied", "disputed"]);
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
    }

    [Fact]
    public async Task a_stored_timeline_without_its_parties_is_derived_again_from_the_claim_on_the_next_event()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-21T00:00:00Z");
        await ProjectionsCaughtUp();
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = new NpgsqlCommand(
                $"update claims.mt_doc_claimtimeline set data = jsonb_build_object('id', id, 'version', 2) where id = '{id}'", connection);
            (await damage.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var verdict = await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "false", rationale = "Fabricated" });
        verdict.Status.ShouldBe(HttpStatusCode.OK, verdict.Text);
        await ProjectionsCaughtUp();

        var kept = await Api.Get($"/api/claims/{id}/timeline");
        kept.Field("version").ShouldBe("3");
        Statuses(kept).ShouldBe(["unconfirmed", "partially_confirmed", "refuted"]);
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
    }

    private static string[] Statuses(Reply timeline) =>
        timeline.Json["intervals"]!.AsArray().Select(i => i!["status"]!.ToString()).ToArray();
}
