using System.Net;
using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Demo;
using ClaimsTracker.Sources;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaimsTracker.IntegrationTests;

public sealed class OperationsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_openapi_document_describes_every_route_and_the_docs_ui_is_served()
    {
        var document = await Api.Get("/openapi/v1.json");

        document.Status.ShouldBe(HttpStatusCode.OK);
        var paths = document.Json["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.ShouldBe([
            "/api/claims", "/api/claims/{claimId}", "/api/claims/{claimId}/statements", "/api/claims/{claimId}/statements/batch", "/api/claims/{claimId}/reports",
            "/api/claims/{claimId}/evidence", "/api/claims/{claimId}/verdicts", "/api/claims/{claimId}/corrections",
            "/api/claims/{claimId}/relations", "/api/claims/{claimId}/relations/{otherId}",
            "/api/claims/{claimId}/retraction", "/api/claims/{claimId}/verdicts/withdrawal", "/api/import/claimreview",
            "/api/claims/{claimId}/timeline", "/api/claims/{claimId}/history",
            "/api/sources", "/api/sources/{sourceId}", "/api/parties", "/api/parties/{partyId}", "/api/parties/{partyId}/aliases",
            "/events/stream", "/api/admin/projections", "/api/admin/projections/{name}", "/api/admin/projections/{name}/rebuild", "/api/admin/projections/rebuild", "/api/admin/projections/rebuilds",
            "/api/admin/webhooks", "/api/admin/webhooks/{id}",
            "/api/admin/verify", "/api/audit/events.ndjson", "/api/audit/events.csv",
            "/api/claims/{claimId}/events.ndjson", "/api/claims/{claimId}/events.csv", "/api/claims/{claimId}/replay",
            "/api/claims/{claimId}/claimreview", "/api/admin/import",
            "/log/checkpoint", "/log/tile/{path}", "/api/audit/log/key", "/api/audit/log/keys", "/api/audit/log/entry",
            "/api/audit/log/proof/inclusion", "/api/audit/log/proof/consistency",
        ], ignoreOrder: true);
        document.Field("components.securitySchemes.apiKey.scheme").ShouldBe("bearer");
        document.Json["paths"]!["/api/claims/{claimId}/statements"]!["post"]!["security"].ShouldNotBeNull();
        var docs = await Api.Get("/docs/");
        docs.Status.ShouldBe(HttpStatusCode.OK);
        docs.Text.ShouldContain("openapi/v1.json");
    }

    [Fact]
    public async Task health_reports_that_postgresql_answers()
    {
        var health = await Api.Get("/health");

        health.Status.ShouldBe(HttpStatusCode.OK);
        health.Text.ShouldBe("Healthy");
    }

    [Fact]
    public async Task the_demo_data_loads_idempotently_with_the_articles_statuses()
    {
        var loader = ActivatorUtilities.CreateInstance<DemoLoader>(Fixture.Host.Services);

        await loader.StartAsync(CancellationToken.None);
        await loader.StartAsync(CancellationToken.None);

        var claims = await Api.Get("/api/claims?pageSize=100");
        claims.Field("total").ShouldBe(ArticleClaims.All.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var statuses = claims.Json["items"]!.AsArray().ToDictionary(i => i!["statement"]!.ToString(), i => i!["status"]!.ToString());
        statuses.ShouldBe(ArticleClaims.All.ToDictionary(c => c.Registration.Statement!, c => Words.Of(ArticleClaims.Expected[c.Key].Status)), ignoreOrder: true);
        var ids = claims.Json["items"]!.AsArray().ToDictionary(i => i!["statement"]!.ToString(), i => i!["id"]!.ToString());
        var breach = await Api.Get($"/api/claims/{ids[ArticleClaims.All.Single(c => c.Key == "sanctions-breach").Registration.Statement!]}");
        breach.Field("relations.0.kind").ShouldBe("depends_on");
        breach.Field("relations.0.statement").ShouldBe("Putin gave Kim Jong Un a Russian-made car as a gift");
        breach.Field("premise").ShouldBe("holds");
        var support = await Api.Get($"/api/claims/{ids[ArticleClaims.All.Single(c => c.Key == "support-for-russia").Registration.Statement!]}");
        support.Field("parties.0.statedAt").ShouldBe("2023-09-01T00:00:00+00:00");
        support.Field("parties.0.statedAtPrecision").ShouldBe("month");
        var history = await Api.Get($"/api/claims/{claims.Field("items.0.id")}/history");
        history.Field("items.0.actor").ShouldBe("demo-loader");
        history.Field("items.0.idempotencyKey").ShouldNotBeNull();
    }

    [Fact]
    public async Task a_rebuild_of_every_projection_reproduces_the_live_documents()
    {
        var loader = ActivatorUtilities.CreateInstance<DemoLoader>(Fixture.Host.Services);
        await loader.StartAsync(CancellationToken.None);
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-22T00:00:00Z");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-19T00:00:00Z");
        await Api.Post($"/api/claims/{id}/corrections", new { reason = "Date", correctsVersion = 3, statedAt = "2024-02-23T00:00:00Z" });
        await ProjectionsCaughtUp();
        var before = await Snapshot();

        var daemon = Fixture.Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        foreach (var projection in new[] { typeof(ClaimSummary), typeof(ClaimTimeline), typeof(SourceProfile), typeof(SourceStatement), typeof(ClaimFact) })
        {
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        await ProjectionsCaughtUp();
        var after = await Snapshot();
        after.ShouldBe(before);
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
        before.Keys.Select(k => k.Split('/')[0]).Distinct().Order().ShouldBe(["fact", "source", "statement", "summary", "timeline"]);
        before.Keys.Count(k => k.StartsWith("summary/", StringComparison.Ordinal)).ShouldBe(ArticleClaims.All.Length + 1);
    }

    [Fact]
    public async Task a_rebuild_keeps_the_timeline_and_sources_of_claims_whose_events_straddle_the_rebuilds_pages()
    {
        // a rebuild reads 2,000 events a page (ClaimsStore.Rebuilds): these claims start before the first page ends and go on after it
        var filler = await Api.RegisteredClaim();
        // 1 + 1,000 + 988 events: the twelve registrations that follow take sequence numbers 1,990 to 2,001
        foreach (var count in new[] { 1_000, 988 })
        {
            var statements = Enumerable.Range(0, count).Select(i => new
            {
                source = new { name = $"Filler {i % 7}", party = "Russia" }, stance = "confirms", statedAt = "2024-02-21T00:00:00Z",
            }).ToArray();
            (await Api.Post($"/api/claims/{filler}/statements/batch", new { statements })).Status.ShouldBe(HttpStatusCode.OK);
        }

        var straddling = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            straddling.Add(await Api.RegisteredClaim());
        }

        foreach (var round in Enumerable.Range(0, 3))
        {
            foreach (var (claim, i) in straddling.Select((claim, i) => (claim, i)))
            {
                await Api.StatementFrom(claim, $"Straddler {i}-{round}", round % 2 == 0 ? "Russia" : "North Korea", "confirms",
                    statedAt: $"2024-02-2{2 + round}T00:00:00Z");
            }
        }

        await ProjectionsCaughtUp();
        await using (var session = Fixture.Store.QuerySession())
        {
            var first = await session.Events.FetchStreamAsync(Guid.Parse(straddling[0]));
            first[0].Sequence.ShouldBeLessThanOrEqualTo(2_000, "the first straddling claim is registered on the rebuild's first page");
            first[^1].Sequence.ShouldBeGreaterThan(2_000, "and its statements are on the next");
        }

        var before = await Snapshot();

        var daemon = Fixture.Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync(typeof(ClaimTimeline), TimeSpan.FromSeconds(60), CancellationToken.None);
        await ProjectionsCaughtUp();

        var after = await Snapshot();
        after.Keys.Except(before.Keys).ShouldBeEmpty();
        before.Keys.Except(after.Keys).ShouldBeEmpty();
        after.ShouldBe(before);
    }

    /// <summary>Every projected document, as stored JSON, keyed by type and id.</summary>
    private async Task<SortedDictionary<string, string>> Snapshot()
    {
        await using var session = Fixture.Store.QuerySession();
        var documents = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in await session.Query<ClaimSummary>().ToListAsync())
        {
            documents[$"summary/{s.Id}"] = JsonSerializer.Serialize(s);
        }

        foreach (var t in await session.Query<ClaimTimeline>().ToListAsync())
        {
            documents[$"timeline/{t.Id}"] = JsonSerializer.Serialize(t);
        }

        foreach (var p in await session.Query<SourceProfile>().ToListAsync())
        {
            documents[$"source/{p.Id}"] = JsonSerializer.Serialize(p);
        }

        foreach (var s in await session.Query<SourceStatement>().ToListAsync())
        {
            documents[$"statement/{s.Id}"] = JsonSerializer.Serialize(s);
        }

        foreach (var f in await session.Query<ClaimFact>().ToListAsync())
        {
            documents[$"fact/{f.Id}"] = JsonSerializer.Serialize(f);
        }

        return documents;
    }
}
