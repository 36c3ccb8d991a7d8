using System.Net;

namespace ClaimsTracker.IntegrationTests;

public sealed class ReadingClaimsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_list_filters_by_status_party_topic_and_text()
    {
        var weapons = await Api.RegisteredClaim();
        var gift = await Api.RegisteredClaim(new
        {
            statement = "Putin gave Kim Jong Un an Aurus Senat limousine",
            parties = new[] { "Russia", "North Korea" },
            topics = new[] { "Aurus" },
            firstReport = new { outlet = "KCNA", publishedAt = "2024-02-20T00:00:00Z" },
        });
        var support = await Api.RegisteredClaim(new
        {
            statement = "Kim Jong Un supports Russia", parties = new[] { "North Korea" }, topics = new[] { "diplomacy" },
            firstReport = new { outlet = "KCNA", publishedAt = "2024-02-20T00:00:00Z" },
        });
        await Api.StatementFrom(gift, "Peskov", "Russia", "confirms");
        await Api.StatementFrom(gift, "Kim Yo Jong", "North Korea", "confirms");
        await Api.StatementFrom(support, "Kim Jong Un", "North Korea", "confirms");

        (await Ids("/api/claims")).ShouldBe([support, gift, weapons]);
        (await Ids("/api/claims?status=confirmed")).ShouldBe([support, gift], ignoreOrder: true);
        (await Ids("/api/claims?status=unconfirmed")).ShouldBe([weapons]);
        (await Ids("/api/claims?party=russia")).ShouldBe([gift, weapons], ignoreOrder: true);
        (await Ids("/api/claims?topic=aurus")).ShouldBe([gift]);
        (await Ids("/api/claims?q=LIMOUSINE")).ShouldBe([gift]);
        (await Ids("/api/claims?party=North%20Korea&status=confirmed&q=kim")).ShouldBe([support, gift], ignoreOrder: true);
    }

    [Fact]
    public async Task the_list_pages_and_reports_the_total()
    {
        for (var i = 0; i < 5; i++)
        {
            await Api.RegisteredClaim(Scenarios.WeaponsClaim($"Claim number {i}"));
        }

        var page = await Api.Get("/api/claims?page=2&pageSize=2");

        page.Field("total").ShouldBe("5");
        page.Json["items"]!.AsArray().Count.ShouldBe(2);
        page.Field("items.0.statement").ShouldBe("Claim number 2");
        page.Field("items.0.parties.0.party").ShouldBe("Russia");
        page.Field("items.0.lastChangedAt").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("/api/claims?status=maybe", "status")]
    [InlineData("/api/claims?pageSize=5000", "pageSize")]
    [InlineData("/api/claims?page=0", "page")]
    public async Task bad_list_parameters_are_400_field_by_field(string url, string field)
    {
        var reply = await Api.Get(url);

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.Json["errors"]![field].ShouldNotBeNull();
    }

    [Fact]
    public async Task an_unparseable_page_number_is_400()
    {
        (await Api.Get("/api/claims?page=abc")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task as_of_answers_what_was_recorded_at_that_moment()
    {
        var id = await Api.RegisteredClaim();
        await Task.Delay(50);
        var beforeStatement = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");

        var then = await Api.Get($"/api/claims/{id}?asOf={Uri.EscapeDataString(beforeStatement.ToString("O"))}");
        var now = await Api.Get($"/api/claims/{id}");

        then.Field("status").ShouldBe("unconfirmed");
        then.Field("version").ShouldBe("1");
        now.Field("status").ShouldBe("partially_confirmed");
        (await Api.Get($"/api/claims/{id}?asOf=2000-01-01T00:00:00Z")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_statement_recorded_late_changes_the_world_time_answer_but_not_the_recorded_one()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-21T09:00:00Z");
        await Task.Delay(50);
        var beforeLateStatement = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        await Task.Delay(50);
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-18T09:00:00Z");

        (await Api.Status(id, "?worldAt=2024-02-19T00:00:00Z")).ShouldBe("denied");
        (await Api.Status(id, "?worldAt=2024-02-22T00:00:00Z")).ShouldBe("disputed");
        (await Api.Status(id, $"?worldAt=2024-02-19T00:00:00Z&asOf={beforeLateStatement}")).ShouldBe("unconfirmed");
        (await Api.Status(id, $"?worldAt=2024-02-22T00:00:00Z&asOf={beforeLateStatement}")).ShouldBe("partially_confirmed");
    }

    [Fact]
    public async Task an_unparseable_as_of_is_400()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Get($"/api/claims/{id}?asOf=yesterday");

        reply.Status.ShouldBe(HttpStatusCode.BadRequest);
        reply.Json["errors"]!["asOf"].ShouldNotBeNull();
    }

    [Fact]
    public async Task the_timeline_lists_the_status_over_world_time_with_the_event_behind_each_change()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-21T00:00:00Z");
        await Api.StatementFrom(id, "KCNA", "North Korea", "confirms", statedAt: "2024-02-22T00:00:00Z");
        await ProjectionsCaughtUp();

        var timeline = await Api.Get($"/api/claims/{id}/timeline");

        timeline.Status.ShouldBe(HttpStatusCode.OK);
        var intervals = timeline.Json["intervals"]!.AsArray();
        intervals.Select(i => i!["status"]!.ToString()).ShouldBe(["unconfirmed", "partially_confirmed", "confirmed"]);
        intervals.Select(i => i!["becauseOf"]!.ToString()).ShouldBe(["1", "2", "3"]);
        timeline.Field("intervals.0.from").ShouldStartWith("2024-02-20T00:00:00");
        timeline.Field("intervals.0.to").ShouldStartWith("2024-02-21T00:00:00");
        timeline.Field("intervals.2.to").ShouldBeNull();
        (await Api.Get($"/api/claims/{Guid.NewGuid()}/timeline")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task history_pages_through_every_event()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Api.StatementFrom(id, "KCNA", "North Korea", "confirms");

        var page = await Api.Get($"/api/claims/{id}/history?page=2&pageSize=2");

        page.Field("total").ShouldBe("3");
        page.Json["items"]!.AsArray().Count.ShouldBe(1);
        page.Field("items.0.version").ShouldBe("3");
        page.Field("items.0.data.source.name").ShouldBe("KCNA");
        (await Api.Get($"/api/claims/{Guid.NewGuid()}/history")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task sources_show_their_statements_and_track_record()
    {
        var confirmed = await Api.RegisteredClaim();
        var refuted = await Api.RegisteredClaim(Scenarios.WeaponsClaim("Another claim"));
        await Api.StatementFrom(confirmed, "Dmitry Peskov", "Russia", "confirms");
        await Api.StatementFrom(confirmed, "KCNA", "North Korea", "confirms");
        await Api.StatementFrom(refuted, "Dmitry Peskov", "Russia", "confirms");
        await Api.Post($"/api/claims/{refuted}/verdicts", new { verdict = "false", rationale = "Documents show otherwise" });
        await ProjectionsCaughtUp();

        var list = await Api.Get("/api/sources");
        var peskov = await Api.Get("/api/sources/dmitry-peskov");

        list.Field("total").ShouldBe("2");
        list.Field("items.0.id").ShouldBe("dmitry-peskov");
        peskov.Field("name").ShouldBe("Dmitry Peskov");
        peskov.Field("party").ShouldBe("Russia");
        peskov.Field("statementCount").ShouldBe("2");
        peskov.Field("trackRecord.confirmations").ShouldBe("2");
        peskov.Field("trackRecord.upheld").ShouldBe("1");
        peskov.Field("trackRecord.contradicted").ShouldBe("1");
        peskov.Json["statements"]!.AsArray()
            .Select(s => (s!["claimStatement"]!.GetValue<string>(), s["claimStatus"]!.GetValue<string>()))
            .ShouldBe([("North Korea has supplied rockets and missiles to Russia", "confirmed"), ("Another claim", "refuted")], ignoreOrder: true);
        (await Api.Get("/api/sources/nobody")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_page_read_again_shows_every_write_committed_since_even_when_it_was_kept()
    {
        var id = await Api.RegisteredClaim(Scenarios.WeaponsClaim("A claim read over and over"));
        var first = await Api.Get("/api/claims?pageSize=5");
        var again = await Api.Get("/api/claims?pageSize=5");
        again.Text.ShouldBe(first.Text);   // nothing committed in between: the same page, possibly the kept one
        var boardBefore = await Api.Get("/");
        (await Api.Get("/")).Text.ShouldBe(boardBefore.Text);   // the board's rows, kept with the page

        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        var afterStatement = await Api.Get("/api/claims?pageSize=5");
        var newer = await Api.RegisteredClaim(Scenarios.WeaponsClaim("A newer claim"));
        var afterRegistration = await Api.Get("/api/claims?pageSize=5");
        var board = await Api.Get("/");

        afterStatement.Field("items.0.id").ShouldBe(id);
        afterStatement.Field("items.0.status").ShouldBe("partially_confirmed");
        afterRegistration.Field("items.0.id").ShouldBe(newer);
        long.Parse(afterRegistration.Field("total")!).ShouldBe(long.Parse(first.Field("total")!) + 1);
        boardBefore.Text.ShouldNotContain("A newer claim");
        board.Text.ShouldContain("A newer claim");
        board.Text.ShouldContain("version 2");
    }

    [Fact]
    public async Task a_corrected_stance_counts_in_the_sources_track_record()
    {
        var id = await Api.RegisteredClaim();
        var said = await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "false", rationale = "Documents show otherwise" });
        await Api.Post($"/api/claims/{id}/corrections", new
        {
            reason = "He denied it; the transcript was wrong", correctsVersion = long.Parse(said.Field("version")!), stance = "denies",
        });
        await ProjectionsCaughtUp();

        var peskov = await Api.Get("/api/sources/dmitry-peskov");

        peskov.Field("statements.0.stance").ShouldBe("denies");
        peskov.Field("trackRecord.denials").ShouldBe("1");
        peskov.Field("trackRecord.confirmations").ShouldBe("0");
        peskov.Field("trackRecord.upheld").ShouldBe("1");
    }

    private async Task<string[]> Ids(string url)
    {
        var reply = await Api.Get(url);
        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        return reply.Json["items"]!.AsArray().Select(i => i!["id"]!.ToString()).ToArray();
    }

    [Theory]
    [InlineData("/api/claims/{id}/history")]
    [InlineData("/api/claims/{id}/replay")]
    [InlineData("/api/claims?asOf=2100-01-01T00:00:00Z")]
    [InlineData("/api/claims?worldAt=2024-03-01T00:00:00Z")]
    [InlineData("/api/claims")]
    public async Task a_page_past_the_end_is_empty_even_where_page_times_size_overflows(string route)
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies");
        var url = route.Replace("{id}", id, StringComparison.Ordinal);
        var separator = url.Contains('?') ? '&' : '?';

        foreach (var page in new[] { 2147483647, 1073741824, 3 })
        {
            var reply = await Api.Get($"{url}{separator}page={page}&pageSize=2");
            reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
            var items = reply.Json["items"] ?? reply.Json["steps"] ?? reply.Json["statements"];
            items!.AsArray().ShouldBeEmpty($"page {page} of {url}");
        }
    }
}
