using System.Net;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The sources' list and pages: statements paged newest first, corrections, and the track record against each claim's status now.</summary>
public sealed class SourcesTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task a_sources_statements_are_paged_newest_first_with_the_total()
    {
        var id = await Api.RegisteredClaim();
        // 55 statements of one source, said a day apart, posted oldest first; one of another source in between
        var batch = Enumerable.Range(0, 55)
            .Select(i => Scenarios.Statement("Dmitry Peskov", "Russia", i % 2 == 0 ? "confirms" : "declines_to_comment",
                new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.Zero).AddDays(i).ToString("O"), quote: $"Said on day {i}"))
            .ToArray();
        (await Api.Post($"/api/claims/{id}/statements/batch", new { statements = batch })).Status.ShouldBe(HttpStatusCode.OK);
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies");
        await ProjectionsCaughtUp();

        var first = await Api.Get("/api/sources/dmitry-peskov");
        var second = await Api.Get("/api/sources/dmitry-peskov?page=2");
        var small = await Api.Get("/api/sources/dmitry-peskov?page=3&pageSize=20");
        var beyond = await Api.Get("/api/sources/dmitry-peskov?page=9&pageSize=20");
        var list = await Api.Get("/api/sources");

        first.Status.ShouldBe(HttpStatusCode.OK, first.Text);
        first.Field("statementCount").ShouldBe("55");
        first.Field("page").ShouldBe("1");
        first.Field("pageSize").ShouldBe("50");
        Quotes(first).ShouldBe(Enumerable.Range(5, 50).Reverse().Select(i => $"Said on day {i}"));
        Quotes(second).ShouldBe(Enumerable.Range(0, 5).Reverse().Select(i => $"Said on day {i}"));
        second.Field("statementCount").ShouldBe("55");
        Quotes(small).ShouldBe(Enumerable.Range(0, 15).Reverse().Select(i => $"Said on day {i}"));
        small.Field("pageSize").ShouldBe("20");
        Quotes(beyond).ShouldBeEmpty();
        beyond.Field("statementCount").ShouldBe("55");
        first.Field("trackRecord.confirmations").ShouldBe("28");
        list.Field("items.0.id").ShouldBe("dmitry-peskov");
        list.Field("items.0.statementCount").ShouldBe("55");
        list.Field("items.1.id").ShouldBe("kcna");
        list.Field("items.1.statementCount").ShouldBe("1");
        list.Field("items.0.statements").ShouldBeNull();
    }

    [Theory]
    [InlineData("?page=0", "page")]
    [InlineData("?page=-1", "page")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=201", "pageSize")]
    public async Task bad_paging_of_a_source_is_400_field_by_field(string query, string field)
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await ProjectionsCaughtUp();

        var reply = await Api.Get($"/api/sources/dmitry-peskov{query}");

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.ContentType.ShouldBe("application/problem+json");
        reply.Json["errors"]![field].ShouldNotBeNull();
    }

    [Fact]
    public async Task an_unparseable_page_of_a_source_is_400_on_the_api_and_the_page()
    {
        (await Api.Get("/api/sources/dmitry-peskov?page=abc")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Api.Get("/sources/dmitry-peskov?page=abc")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Api.Get("/sources/dmitry-peskov?page=0")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task the_source_page_on_the_dashboard_pages_its_statements()
    {
        var id = await Api.RegisteredClaim();
        var batch = Enumerable.Range(0, 52)
            .Select(i => Scenarios.Statement("Dmitry Peskov", "Russia", "confirms",
                new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.Zero).AddDays(i).ToString("O"), quote: $"Page quote {i:00}"))
            .ToArray();
        (await Api.Post($"/api/claims/{id}/statements/batch", new { statements = batch })).Status.ShouldBe(HttpStatusCode.OK);
        await ProjectionsCaughtUp();

        var first = await Api.Get("/sources/dmitry-peskov");
        var second = await Api.Get("/sources/dmitry-peskov?page=2");

        first.Status.ShouldBe(HttpStatusCode.OK);
        first.Text.ShouldContain("52 in all, newest first; page 1 of 2");
        first.Text.ShouldContain("Page quote 51");
        first.Text.ShouldNotContain("Page quote 01");
        first.Text.ShouldContain("href=\"/sources/dmitry-peskov?page=2\" rel=\"next\"");
        second.Text.ShouldContain("Page quote 01");
        second.Text.ShouldContain("Page quote 00");
        second.Text.ShouldNotContain("Page quote 02");
        second.Text.ShouldContain("href=\"/sources/dmitry-peskov?page=1\" rel=\"prev\"");
    }

    [Fact]
    public async Task a_correction_changes_what_the_statement_says_and_where_it_stands_in_the_pages()
    {
        var id = await Api.RegisteredClaim();
        var corrected = await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms", statedAt: "2024-02-20T09:00:00Z");
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "declines_to_comment", statedAt: "2024-02-21T09:00:00Z");
        await ProjectionsCaughtUp();
        var before = await Api.Get("/api/sources/dmitry-peskov");

        var correction = await Api.Post($"/api/claims/{id}/corrections", new
        {
            reason = "The transcript was wrong", correctsVersion = long.Parse(corrected.Field("version")!),
            stance = "denies", quote = "We deny it.", statedAt = "2024-02-22T09:00:00Z",
        });
        correction.Status.ShouldBe(HttpStatusCode.OK, correction.Text);
        await ProjectionsCaughtUp();
        var after = await Api.Get("/api/sources/dmitry-peskov");

        before.Field("statements.1.version").ShouldBe(corrected.Field("version"));
        before.Field("statements.1.stance").ShouldBe("confirms");
        before.Field("trackRecord.confirmations").ShouldBe("1");
        after.Field("statementCount").ShouldBe("2");
        after.Field("statements.0.version").ShouldBe(corrected.Field("version"));
        after.Field("statements.0.stance").ShouldBe("denies");
        after.Field("statements.0.quote").ShouldBe("We deny it.");
        DateTimeOffset.Parse(after.Field("statements.0.statedAt")!).ShouldBe(DateTimeOffset.Parse("2024-02-22T09:00:00Z"));
        after.Field("trackRecord.confirmations").ShouldBe("0");
        after.Field("trackRecord.denials").ShouldBe("1");
    }

    [Fact]
    public async Task the_track_record_follows_the_claims_status_as_it_changes()
    {
        var id = await Api.RegisteredClaim();
        var other = await Api.RegisteredClaim(Scenarios.WeaponsClaim("A claim nobody settles"));
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await Api.StatementFrom(other, "Dmitry Peskov", "Russia", "declines_to_comment");
        await ProjectionsCaughtUp();

        // partially confirmed: his confirmation is upheld
        (await Api.Status(id)).ShouldBe("partially_confirmed");
        await TrackRecordIs(confirmations: 1, denials: 0, upheld: 1, contradicted: 0, open: 0);

        // disputed: open
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-21T09:00:00Z");
        (await Api.Status(id)).ShouldBe("disputed");
        await TrackRecordIs(confirmations: 1, denials: 0, upheld: 0, contradicted: 0, open: 1);

        // refuted by a verdict: contradicted
        await Api.Post($"/api/claims/{id}/verdicts", new { verdict = "false", rationale = "Documents show otherwise" });
        (await Api.Status(id)).ShouldBe("refuted");
        await TrackRecordIs(confirmations: 1, denials: 0, upheld: 0, contradicted: 1, open: 0);

        // KCNA's denials: of the refuted claim, and of one only North Korea speaks on (denied), both upheld
        var denied = await Api.RegisteredClaim(new
        {
            statement = "Kim Jong Un visited Moscow in secret", parties = new[] { "North Korea" }, topics = new[] { "diplomacy" },
            firstReport = new { outlet = "Example Wire", publishedAt = "2024-02-20T00:00:00Z" },
        });
        await Api.StatementFrom(denied, "KCNA", "North Korea", "denies");
        (await Api.Status(denied)).ShouldBe("denied");
        await ProjectionsCaughtUp();
        var kcna = await Api.Get("/api/sources/kcna");
        kcna.Field("trackRecord.denials").ShouldBe("2");
        kcna.Field("trackRecord.upheld").ShouldBe("2");
        kcna.Field("trackRecord.open").ShouldBe("0");
    }

    private async Task TrackRecordIs(int confirmations, int denials, int upheld, int contradicted, int open)
    {
        var expected = $"{confirmations}/{denials}/{upheld}/{contradicted}/{open}";
        var source = await Api.Get("/api/sources/dmitry-peskov");
        var list = await Api.Get("/api/sources");
        var inList = list.Json["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == "dmitry-peskov")!;

        Record(source.Json["trackRecord"]!).ShouldBe(expected);
        Record(inList["trackRecord"]!).ShouldBe(expected);
        source.Field("statementCount").ShouldBe("2");
        inList["statementCount"]!.GetValue<int>().ShouldBe(2);
    }

    private static string Record(System.Text.Json.Nodes.JsonNode r) =>
        $"{r["confirmations"]}/{r["denials"]}/{r["upheld"]}/{r["contradicted"]}/{r["open"]}";

    private static IEnumerable<string> Quotes(Reply reply) =>
        reply.Json["statements"]!.AsArray().Select(s => s!["quote"]!.GetValue<string>()).ToList();
}
