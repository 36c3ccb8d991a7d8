using System.Net;
using System.Text.RegularExpressions;
using ClaimsTracker.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsTracker.IntegrationTests;

public sealed class DashboardTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_board_lists_the_demo_claims_with_their_statuses()
    {
        await ActivatorUtilities.CreateInstance<DemoLoader>(Fixture.Host.Services).StartAsync(CancellationToken.None);

        var board = await Api.Get("/");

        board.Status.ShouldBe(HttpStatusCode.OK);
        board.ContentType.ShouldBe("text/html");
        StatusOf(board.Text, "rockets and missiles").ShouldBe("unconfirmed");
        StatusOf(board.Text, "a Russian-made car as a gift").ShouldBe("confirmed");
        StatusOf(board.Text, "is an Aurus Senat limousine").ShouldBe("unconfirmed");
        StatusOf(board.Text, "breaches U.N. sanctions").ShouldBe("unconfirmed");
        StatusOf(board.Text, "support for Russia").ShouldBe("confirmed");
        var filtered = await Api.Get("/?status=unconfirmed");
        filtered.Text.ShouldNotContain("Putin gave Kim Jong Un a Russian-made car as a gift");
        filtered.Text.ShouldContain("breaches U.N. sanctions");
    }

    /// <summary>The status badge in the board row of the claim whose text contains <paramref name="statement"/>.</summary>
    private static string StatusOf(string html, string statement) =>
        Regex.Match(html.Split("<tr>").Single(row => row.Contains(statement, StringComparison.Ordinal)), "data-status=\"([a-z_]+)\"")
            .Groups[1].Value;

    [Fact]
    public async Task hostile_text_in_a_claim_and_a_quote_is_shown_as_text()
    {
        var id = await Api.RegisteredClaim(Scenarios.WeaponsClaim("<script>alert('claim')</script><img src=x onerror=alert(1)>"));
        await Api.Post($"/api/claims/{id}/statements",
            Scenarios.Statement("<b>Peskov</b>", "Russia", "confirms", "2024-02-20T00:00:00Z", quote: "\"><script>alert('quote')</script>"));

        var board = await Api.Get("/");
        var page = await Api.Get($"/claims/{id}");

        foreach (var html in new[] { board.Text, page.Text })
        {
            html.ShouldNotContain("<script>alert");
            html.ShouldNotContain("<img src=x");
            html.ShouldContain("&lt;script&gt;alert(");
        }

        page.Text.ShouldNotContain("<b>Peskov</b>");
        page.Text.ShouldContain("&lt;b&gt;Peskov&lt;/b&gt;");
    }

    [Fact]
    public async Task the_claim_page_shows_parties_timeline_and_history_and_an_earlier_recorded_state()
    {
        var id = await Api.RegisteredClaim();
        await Task.Delay(50);
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        await Task.Delay(50);
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");

        var now = await Api.Get($"/claims/{id}");
        var then = await Api.Get($"/claims/{id}?asOf={before}");

        now.Status.ShouldBe(HttpStatusCode.OK);
        now.Text.ShouldContain("data-status=\"partially_confirmed\"");
        now.Text.ShouldContain("Dmitry Peskov");
        now.Text.ShouldContain("statement_recorded");
        then.Status.ShouldBe(HttpStatusCode.OK);
        then.Text.ShouldContain("data-status=\"unconfirmed\"");
        then.Text.ShouldNotContain("data-status=\"partially_confirmed\"");
    }

    [Fact]
    public async Task the_world_time_control_shows_the_status_as_it_stood_in_the_world()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms", statedAt: "2024-02-22T00:00:00Z");

        var page = await Api.Get($"/claims/{id}?worldAt=2024-02-21T00:00:00");
        var board = await Api.Get("/?worldAt=2024-02-21T00:00:00");
        var later = await Api.Get("/?worldAt=2024-02-23T00:00:00Z&status=partially_confirmed");

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("data-status=\"unconfirmed\"");
        page.Text.ShouldContain("as they stood in the world at <time datetime=\"2024-02-21T00:00:00Z\">");
        board.Text.ShouldContain("data-status=\"unconfirmed\"");
        board.Text.ShouldNotContain("data-status=\"partially_confirmed\"");
        later.Text.ShouldContain($"/claims/{id}");
        later.Text.ShouldContain("value=\"2024-02-23T00:00:00\"");
    }

    [Fact]
    public async Task an_unknown_claim_page_is_a_404_page()
    {
        (await Api.Get($"/claims/{Guid.NewGuid()}")).Status.ShouldBe(HttpStatusCode.NotFound);
        var garbage = await Api.Get("/claims/%3Cscript%3E");
        garbage.Status.ShouldBe(HttpStatusCode.NotFound);
        garbage.Text.ShouldNotContain("<script>");
    }

    [Fact]
    public async Task a_long_claim_page_shows_one_page_of_events_the_latest_first_and_links_to_the_others()
    {
        var id = await Api.RegisteredClaim();
        var statements = Enumerable.Range(0, 119).Select(i =>
            Scenarios.Statement($"Source {i}", i == 0 ? "Russia" : null, "confirms", "2024-02-20T00:00:00Z")).ToArray();
        (await Api.Post($"/api/claims/{id}/statements/batch", new { statements })).Status.ShouldBe(HttpStatusCode.OK);

        var latest = await Api.Get($"/claims/{id}");
        var first = await Api.Get($"/claims/{id}?events=1");
        var past = await Api.Get($"/claims/{id}?events=99");

        Rows(latest.Text).ShouldBe(Enumerable.Range(101, 20).Select(v => v.ToString()));
        Rows(first.Text).ShouldBe(Enumerable.Range(1, 50).Select(v => v.ToString()));
        Rows(past.Text).ShouldBe(Rows(latest.Text));
        latest.Text.ShouldContain("page 3 of 3");
        // Russia's stance comes from version 2, on the first page: the latest page links there
        latest.Text.ShouldContain($"href=\"/claims/{id}?events=1#event-2\"");
        first.Text.ShouldContain("href=\"#event-2\"");
    }

    private static IEnumerable<string> Rows(string html) =>
        Regex.Matches(html, "<tr id=\"event-(\\d+)\"").Select(m => m.Groups[1].Value);
}
