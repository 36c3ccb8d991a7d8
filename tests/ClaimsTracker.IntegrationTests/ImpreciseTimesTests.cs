using System.Net;

namespace ClaimsTracker.IntegrationTests;

public sealed class ImpreciseTimesTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task times_as_precise_as_the_source_read_back_as_the_period_start_with_its_precision()
    {
        var id = await Api.RegisteredClaim(new
        {
            statement = "Kim Jong Un inspected the Aurus Senat in Russia",
            parties = new[] { "North Korea" },
            firstReport = new { outlet = "Reuters", publishedAt = "2024-02-20" },
        });
        var said = await Api.Post($"/api/claims/{id}/statements", Scenarios.Statement("Kim Jong Un", "North Korea", "confirms", "2023-09"));
        said.Status.ShouldBe(HttpStatusCode.OK, said.Text);
        (await Api.Post($"/api/claims/{id}/evidence", new
        {
            kind = "photo", description = "Kim at the car", bearing = "supports", observedAt = "2023",
        })).Status.ShouldBe(HttpStatusCode.OK);

        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("firstReport.publishedAt").ShouldBe("2024-02-20T00:00:00+00:00");
        claim.Field("firstReport.publishedAtPrecision").ShouldBe("day");
        claim.Field("parties.0.statedAt").ShouldBe("2023-09-01T00:00:00+00:00");
        claim.Field("parties.0.statedAtPrecision").ShouldBe("month");
        var history = await Api.Get($"/api/claims/{id}/history");
        history.Field("items.1.data.statedAtPrecision").ShouldBe("month");
        history.Field("items.2.data.observedAtPrecision").ShouldBe("year");

        // it counts from the end of September: by then it had surely been said
        (await Api.Status(id, "?worldAt=2023-09-30T23:00:00Z")).ShouldBe("unconfirmed");
        (await Api.Status(id, "?worldAt=2023-10-01T00:00:00Z")).ShouldBe("confirmed");
        var timeline = await Api.Get($"/api/claims/{id}/timeline");
        timeline.Field("intervals.1.from").ShouldBe("2023-10-01T00:00:00+00:00");
        timeline.Field("intervals.1.uncertainFrom").ShouldBe("2023-09-01T00:00:00+00:00");
    }

    [Fact]
    public async Task a_sources_statements_show_their_time_as_precisely_as_known_in_the_api_and_on_its_page()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Kim Jong Un", "North Korea", "confirms", "2023-09");
        await Api.StatementFrom(id, "Kim Jong Un", "North Korea", "confirms", "2024-02-20T09:00:00Z");
        (await Api.Post($"/api/claims/{id}/corrections", new { reason = "only the day is known", correctsVersion = 3, statedAt = "2024-02-20" }))
            .Status.ShouldBe(HttpStatusCode.OK);
        await ProjectionsCaughtUp();

        var source = await Api.Get("/api/sources/kim-jong-un");
        var page = (await Api.Get("/sources/kim-jong-un")).Text;

        (source.Field("statements.0.statedAtPrecision"), source.Field("statements.1.statedAtPrecision")).ShouldBe(("day", "month"));
        page.ShouldContain("""Stated <time class="uncertain" datetime="2024-02-20">2024-02-20 (known to the day)</time>""");
        page.ShouldContain("""Stated <time class="uncertain" datetime="2023-09">2023-09 (known to the month)</time>""");
    }

    [Fact]
    public async Task an_imprecise_denial_outranks_a_confirmation_said_within_its_period()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "KCNA", "North Korea", "confirms", "2024-02-20T09:00:00Z");
        (await Api.StatementFrom(id, "KCNA", "North Korea", "denies", "2024-02")).Field("status").ShouldBe("denied");

        var corrected = await Api.Post($"/api/claims/{id}/corrections", new { reason = "it was January", correctsVersion = 3, statedAt = "2024-01" });
        corrected.Status.ShouldBe(HttpStatusCode.OK, corrected.Text);
        corrected.Field("status").ShouldBe("partially_confirmed");
    }

    [Fact]
    public async Task a_time_that_is_no_time_is_refused_field_by_field()
    {
        var id = await Api.RegisteredClaim();

        var reply = await Api.Post($"/api/claims/{id}/statements", new
        {
            source = new { name = "KCNA", party = "North Korea" }, stance = "confirms", statedAt = "Feb 2024",
            reportedIn = new { outlet = "KCNA", publishedAt = 2024 },
        });

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["statedAt", "reportedIn.publishedAt"], ignoreOrder: true);
        (await Api.Post($"/api/claims/{id}/evidence", new { kind = "photo", description = "x", bearing = "supports", observedAt = "2999" }))
            .Json["errors"]!["observedAt"]!.ToString().ShouldContain("future");
    }

    [Fact]
    public async Task the_openapi_document_describes_a_world_time_as_a_string()
    {
        var document = await Api.Get("/openapi/v1.json");

        document.Field("components.schemas.RecordStatement.properties.statedAt.$ref").ShouldBe("#/components/schemas/TimeInput");
        document.Field("components.schemas.CorrectClaim.properties.statedAt.oneOf.1.$ref").ShouldBe("#/components/schemas/TimeInput");
        document.Field("components.schemas.TimeInput.type").ShouldBe("string");
        document.Json["components"]!["schemas"]!["TimeInput"]!["properties"].ShouldBeNull();
    }
}
