using System.Net;
using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using Marten;

namespace ClaimsTracker.IntegrationTests;

/// <summary>Recorded time (asOf) and world time (worldAt) on the claim, the timeline and the list.</summary>
public sealed class AuditTwoClocksTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task as_of_on_a_long_claim_answers_what_a_full_replay_answers_with_or_without_the_daemons_checkpoints()
    {
        var id = await Api.RegisteredClaim();
        var moments = new List<DateTimeOffset>();
        for (var n = 1; n <= 230; n++)
        {
            var reply = n % 50 == 0
                ? await Api.Post($"/api/claims/{id}/statements", Scenarios.Statement(n % 100 == 0 ? "KCNA" : "Peskov",
                    n % 100 == 0 ? "North Korea" : "Russia", n % 100 == 0 ? "denies" : "confirms", "2024-02-21T00:00:00Z"))
                : await Api.Post($"/api/claims/{id}/reports", new { outlet = "Wire", url = $"https://example.org/{n}", publishedAt = "2024-02-21T00:00:00Z" });
            reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
            if (n is 60 or 160 or 230)
            {
                moments.Add(DateTimeOffset.UtcNow);
            }
        }

        // whatever checkpoints the daemon has taken so far, and then all of them: the answers never change
        var early = await AsOfAnswers(id, moments);
        await ProjectionsCaughtUp();
        var late = await AsOfAnswers(id, moments);
        late.ShouldBe(early);

        foreach (var (moment, answer) in moments.Zip(late))
        {
            await using var session = Fixture.Store.QuerySession();
            var replayed = await session.Events.AggregateStreamAsync<ClaimSummary>(Guid.Parse(id), timestamp: moment);
            var reply = System.Text.Json.Nodes.JsonNode.Parse(answer)!;
            reply["version"]!.ToString().ShouldBe(replayed!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            reply["status"]!.ToString().ShouldBe(Words.Of(replayed.Status));
            reply["counts"]!["reports"]!.ToString().ShouldBe(replayed.Counts.Reports.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        moments.Count.ShouldBe(3);
        await using (var session = Fixture.Store.QuerySession())
        {
            (await session.Query<SummaryCheckpoint>().Where(c => c.ClaimId == Guid.Parse(id)).Select(c => c.Version).ToListAsync())
                .Order().ShouldBe([100L, 200L]);
        }

        (await Api.Status(id, $"?asOf={Uri.EscapeDataString(moments[0].ToString("O"))}")).ShouldBe("partially_confirmed");
        (await Api.Status(id, $"?asOf={Uri.EscapeDataString(moments[1].ToString("O"))}")).ShouldBe("disputed");
        (await Api.Status(id)).ShouldBe("disputed");
    }

    [Fact]
    public async Task a_correction_changes_the_world_answer_for_the_past_and_leaves_the_recorded_answer_untouched()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-20T09:00:00Z");
        var beforeCorrection = await Moment();
        var corrected = await Api.Post($"/api/claims/{id}/corrections",
            new { reason = "Misheard: he denied it", correctsVersion = 2, stance = "denies" });
        corrected.Status.ShouldBe(HttpStatusCode.OK, corrected.Text);

        (await Api.Status(id, "?worldAt=2024-02-21T00:00:00Z")).ShouldBe("denied");
        (await Api.Status(id, $"?worldAt=2024-02-21T00:00:00Z&asOf={beforeCorrection}")).ShouldBe("partially_confirmed");
        (await Api.Status(id, $"?asOf={beforeCorrection}")).ShouldBe("partially_confirmed");
    }

    [Fact]
    public async Task the_timeline_answers_as_recorded_at_as_of_and_up_to_world_at()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-21T00:00:00Z");
        var beforeLateStatement = await Moment();
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-18T00:00:00Z");
        await ProjectionsCaughtUp();

        var now = await Api.Get($"/api/claims/{id}/timeline");
        var then = await Api.Get($"/api/claims/{id}/timeline?asOf={beforeLateStatement}");
        var untilFeb19 = await Api.Get($"/api/claims/{id}/timeline?worldAt=2024-02-19T00:00:00Z");

        Statuses(now).ShouldBe(["denied", "disputed"]);
        Statuses(then).ShouldBe(["unconfirmed", "partially_confirmed"]);
        then.Field("version").ShouldBe("2");
        Statuses(untilFeb19).ShouldBe(["denied"]);
        untilFeb19.Field("intervals.0.to").ShouldBeNull();
        (await Api.Get($"/api/claims/{id}/timeline?asOf=yesterday")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task the_list_answers_as_recorded_at_as_of_and_with_statuses_at_world_at()
    {
        var early = await Api.RegisteredClaim(Scenarios.WeaponsClaim("The early claim"));
        await Api.StatementFrom(early, "Peskov", "Russia", "confirms", statedAt: "2024-02-21T00:00:00Z");
        var beforeSecond = await Moment();
        var late = await Api.RegisteredClaim(Scenarios.WeaponsClaim("The late claim"));
        await Api.StatementFrom(early, "KCNA", "North Korea", "denies", statedAt: "2024-02-22T00:00:00Z");

        var then = await Api.Get($"/api/claims?asOf={beforeSecond}");
        var atWorldFeb20 = await Api.Get("/api/claims?worldAt=2024-02-20T12:00:00Z&status=unconfirmed");
        var disputedThen = await Api.Get($"/api/claims?asOf={beforeSecond}&status=disputed");

        then.Field("total").ShouldBe("1");
        then.Field("items.0.id").ShouldBe(early);
        then.Field("items.0.status").ShouldBe("partially_confirmed");
        atWorldFeb20.Field("total").ShouldBe("2");
        disputedThen.Field("total").ShouldBe("0");
        (await Api.Get("/api/claims?status=disputed")).Field("items.0.id").ShouldBe(early);
        late.ShouldNotBe(early);
    }

    private async Task<List<string>> AsOfAnswers(string id, IEnumerable<DateTimeOffset> moments)
    {
        var answers = new List<string>();
        foreach (var moment in moments)
        {
            var reply = await Api.Get($"/api/claims/{id}?asOf={Uri.EscapeDataString(moment.ToString("O"))}");
            reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
            answers.Add(reply.Text);
        }

        return answers;
    }

    private static List<string> Statuses(Reply timeline) =>
        timeline.Json["intervals"]!.AsArray().Select(i => i!["status"]!.ToString()).ToList();

    private static async Task<string> Moment()
    {
        await Task.Delay(30);
        var moment = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        await Task.Delay(30);
        return moment;
    }
}
