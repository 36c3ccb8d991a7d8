using System.Net;

namespace ClaimsTracker.IntegrationTests;

/// <summary>Party aliases everywhere, countedFor, not_confirmed, quote kinds and re-attributing corrections, through HTTP.</summary>
public sealed class PartyResolutionAndReattributionTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task RegisteredParties()
    {
        (await Api.Post("/api/parties", new { name = "Russia", aliases = new[] { "Russian Federation", "Kremlin" }, wikidata = "Q159" }))
            .Status.ShouldBe(HttpStatusCode.Created);
        (await Api.Post("/api/parties", new { name = "North Korea", aliases = new[] { "DPRK", "Pyongyang" }, wikidata = "Q423" }))
            .Status.ShouldBe(HttpStatusCode.Created);
    }

    private async Task<string> ClaimUnderAliases()
    {
        await RegisteredParties();
        return await Api.RegisteredClaim(new
        {
            statement = "North Korea has supplied rockets and missiles to Russia",
            parties = new[] { "Kremlin", " dprk " },
            firstReport = new { outlet = "Example Wire", url = "https://example.org/w", publishedAt = "2024-02-20T00:00:00Z" },
        });
    }

    [Fact]
    public async Task a_claim_and_its_statements_under_aliases_count_for_the_canonical_parties_and_the_reply_says_for_whom()
    {
        var id = await ClaimUnderAliases();

        var peskov = await Api.StatementFrom(id, "Dmitry Peskov", "  KREMLIN ", "confirms");
        var reuters = await Api.StatementFrom(id, "Reuters", null, "asserts");
        var batch = await Api.Post($"/api/claims/{id}/statements/batch", new
        {
            statements = new[]
            {
                Scenarios.Statement("KCNA", "DPRK", "confirms", "2024-02-21T09:00:00Z"),
                Scenarios.Statement("Yonhap", "South Korea", "asserts", "2024-02-21T10:00:00Z"),
            },
        });
        var evidence = await Api.Post($"/api/claims/{id}/evidence", new
        {
            kind = "photo", url = "https://example.org/p.png", description = "rail cars", bearing = "supports", observedAt = "2024-02-21T00:00:00Z",
        });
        var claim = await Api.Get($"/api/claims/{id}");

        (peskov.Field("countedFor"), peskov.Field("status")).ShouldBe(("Russia", "partially_confirmed"));
        reuters.Json.AsObject().ContainsKey("countedFor").ShouldBeTrue();
        reuters.Field("countedFor").ShouldBeNull();
        batch.Status.ShouldBe(HttpStatusCode.OK, batch.Text);
        batch.Json["countedFor"]!.AsArray().Select(n => n?.ToString()).ShouldBe(["North Korea", null]);
        batch.Field("status").ShouldBe("confirmed");
        evidence.Json.AsObject().Select(p => p.Key).Order().ShouldBe(["status", "version"]);
        claim.Json["parties"]!.AsArray().Select(p => p!["party"]!.ToString()).ShouldBe(["Russia", "North Korea"]);
        claim.Field("counts.thirdPartyAssertions").ShouldBe("2");
    }

    [Fact]
    public async Task the_list_filter_takes_any_name_or_alias_of_a_party()
    {
        var id = await ClaimUnderAliases();

        foreach (var spelled in new[] { "North Korea", "dprk", " Pyongyang ", "NORTH  KOREA" })
        {
            var list = await Api.Get($"/api/claims?party={Uri.EscapeDataString(spelled)}");
            list.Field("total").ShouldBe("1", spelled);
            list.Field("items.0.id").ShouldBe(id);
        }

        (await Api.Get("/api/claims?party=Seoul")).Field("total").ShouldBe("0");
    }

    [Fact]
    public async Task not_confirmed_leaves_the_party_open_and_is_shown_with_its_date_and_a_paraphrase_is_marked()
    {
        var id = await Api.RegisteredClaim();

        var report = await Api.StatementFrom(id, "Reuters", "Russia", "not_confirmed", "2024-02-21T00:00:00Z");
        var kcna = await Api.Post($"/api/claims/{id}/statements", new
        {
            source = new { name = "KCNA", role = "state news agency", party = "North Korea" }, stance = "confirms",
            quote = "the DPRK delivered what was asked", quoteKind = "paraphrase", statedAt = "2024-02-22T00:00:00Z",
        });
        var claim = await Api.Get($"/api/claims/{id}");
        var before = await Api.Get($"/api/claims/{id}?worldAt=2024-02-20T12:00:00Z");
        var history = await Api.Get($"/api/claims/{id}/history");
        var page = await Api.Get($"/claims/{id}");

        (report.Field("status"), report.Field("countedFor")).ShouldBe(("unconfirmed", "Russia"));
        kcna.Field("status").ShouldBe("partially_confirmed");
        claim.Field("parties.0.stance").ShouldBe("open");
        DateTimeOffset.Parse(claim.Field("parties.0.notConfirmedAt")!).ShouldBe(new DateTimeOffset(2024, 2, 21, 0, 0, 0, TimeSpan.Zero));
        claim.Field("parties.1.quoteKind").ShouldBe("paraphrase");
        claim.Field("parties.1.notConfirmedAt").ShouldBeNull();
        before.Field("parties.0.notConfirmedAt").ShouldBeNull();
        history.Field("items.1.data.quoteKind").ShouldBe("direct");
        history.Field("items.2.data.quoteKind").ShouldBe("paraphrase");
        page.Text.ShouldContain("reported not confirmed");
        page.Text.ShouldContain("<span class=\"paraphrase\"><span class=\"label\">paraphrase</span> the DPRK delivered what was asked</span>");
        page.Text.ShouldNotContain("<blockquote>the DPRK delivered");
    }

    [Fact]
    public async Task a_correction_re_attributes_a_statement_to_an_involved_party_and_back_and_moves_it_between_source_pages()
    {
        await RegisteredParties();
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Reuters", null, "confirms", "2024-02-21T00:00:00Z");
        await Api.StatementFrom(id, "KCNA", "North Korea", "confirms", "2024-02-21T06:00:00Z");

        var moved = await Api.Post($"/api/claims/{id}/corrections", new
        {
            reason = "Peskov said it; Reuters only reported it", correctsVersion = 2,
            source = new { name = "Dmitry Peskov", role = "Kremlin spokesperson", party = "Kremlin" }, quoteKind = "paraphrase",
        });
        var claim = await Api.Get($"/api/claims/{id}");
        await ProjectionsCaughtUp();
        var peskov = await Api.Get("/api/sources/dmitry-peskov");
        var reuters = await Api.Get("/api/sources/reuters");

        moved.Status.ShouldBe(HttpStatusCode.OK, moved.Text);
        moved.Field("status").ShouldBe("confirmed");
        moved.Json.AsObject().ContainsKey("countedFor").ShouldBeFalse();
        (claim.Field("parties.0.stance"), claim.Field("parties.0.source"), claim.Field("parties.0.quoteKind"))
            .ShouldBe(("confirms", "Dmitry Peskov", "paraphrase"));
        (await Api.Status(id, "?worldAt=2024-02-21T12:00:00Z")).ShouldBe("confirmed");
        (peskov.Field("statementCount"), peskov.Field("party"), peskov.Field("statements.0.quoteKind")).ShouldBe(("1", "Russia", "paraphrase"));
        reuters.Field("statementCount").ShouldBe("0");

        var back = await Api.Post($"/api/claims/{id}/corrections", new
        {
            reason = "it was Reuters' own reporting after all", correctsVersion = 2, source = new { name = "Reuters", role = "news agency", party = (string?)null },
        });
        await ProjectionsCaughtUp();

        back.Field("status").ShouldBe("partially_confirmed");
        (await Api.Get($"/api/claims/{id}")).Field("parties.0.stance").ShouldBe("open");
        (await Api.Status(id, "?worldAt=2024-02-21T12:00:00Z")).ShouldBe("partially_confirmed");
        (await Api.Get("/api/sources/reuters")).Field("statementCount").ShouldBe("1");
        (await Api.Get("/api/sources/dmitry-peskov")).Field("statementCount").ShouldBe("0");
        (await Api.Get($"/api/claims/{id}/history")).Field("items.3.data.source.party").ShouldBe("Russia");
    }

    [Fact]
    public async Task a_bad_quote_kind_or_a_nameless_source_in_a_correction_is_refused_field_by_field()
    {
        var id = await Api.RegisteredClaim();

        var statement = await Api.Post($"/api/claims/{id}/statements", new
        {
            source = new { name = "KCNA", party = "North Korea" }, stance = "confirms", quoteKind = "verbatim", statedAt = "2024-02-21T00:00:00Z",
        });
        var correction = await Api.Post($"/api/claims/{id}/corrections", new
        {
            reason = "misattributed", source = new { name = " ", party = "Russia" }, quoteKind = "quoted",
        });

        statement.Status.ShouldBe(HttpStatusCode.BadRequest);
        statement.Json["errors"]!.AsObject().Select(p => p.Key).ShouldBe(["quoteKind"]);
        correction.Status.ShouldBe(HttpStatusCode.BadRequest);
        correction.Json["errors"]!.AsObject().Select(p => p.Key).Order().ShouldBe(["correctsVersion", "quoteKind", "source.name"]);
    }
}
