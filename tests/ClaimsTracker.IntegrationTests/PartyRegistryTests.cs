using System.Net;
using ClaimsTracker.Demo;
using ClaimsTracker.Parties;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsTracker.IntegrationTests;

public sealed class PartyRegistryTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static object NorthKorea => new
    {
        name = "North Korea", aliases = new[] { "DPRK", "Democratic People's Republic of Korea", "Pyongyang" }, wikidata = "Q423",
    };

    [Fact]
    public async Task a_registered_party_is_listed_with_its_aliases_and_wikidata_id()
    {
        var reply = await Api.Post("/api/parties", NorthKorea);

        reply.Status.ShouldBe(HttpStatusCode.Created, reply.Text);
        var id = reply.Json["id"]!.ToString();
        reply.Headers.Location!.ToString().ShouldBe($"/api/parties/{id}");
        reply.Field("wikidataUrl").ShouldBe("http://www.wikidata.org/entity/Q423");
        var list = await Api.Get("/api/parties", key: null);
        list.Status.ShouldBe(HttpStatusCode.OK, list.Text);
        list.Field("total").ShouldBe("1");
        list.Field("items.0.name").ShouldBe("North Korea");
        list.Json["items"]![0]!["aliases"]!.AsArray().Select(a => a!.ToString())
            .ShouldBe(["DPRK", "Democratic People's Republic of Korea", "Pyongyang"]);
        (await Api.Get($"/api/parties/{id}")).Field("wikidata").ShouldBe("Q423");
        (await Api.Get($"/api/parties/{Guid.NewGuid()}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_name_or_alias_another_party_has_case_and_spacing_aside_is_refused_with_409()
    {
        var russia = await Api.Post("/api/parties", new { name = "Russia", aliases = new[] { "Kremlin" }, wikidata = "Q159" });
        var korea = await Api.Post("/api/parties", NorthKorea);

        var taken = await Api.Post("/api/parties", new { name = "  the  kremlin ", aliases = new[] { "Moscow", " RUSSIA" }, wikidata = "q159" });
        var takenAlias = await Api.Post($"/api/parties/{korea.Json["id"]}/aliases", new { alias = "KREMLIN" });

        taken.Status.ShouldBe(HttpStatusCode.Conflict, taken.Text);
        Errors(taken).ShouldBe(["aliases[1]", "wikidata"], ignoreOrder: true);
        taken.Json["errors"]!["aliases[1]"]![0]!.ToString().ShouldContain($"Russia ({russia.Json["id"]})");
        takenAlias.Status.ShouldBe(HttpStatusCode.Conflict, takenAlias.Text);
        Errors(takenAlias).ShouldBe(["alias"]);
        (await Api.Post("/api/parties", new { name = "north KOREA" })).Status.ShouldBe(HttpStatusCode.Conflict);
        (await Api.Get("/api/parties")).Field("total").ShouldBe("2");
    }

    [Fact]
    public async Task an_invalid_registration_is_refused_field_by_field_with_400()
    {
        var reply = await Api.Post("/api/parties", new { name = " ", aliases = new[] { "DPRK", "", new string('x', 101) }, wikidata = "159" });

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.ContentType.ShouldBe("application/problem+json");
        Errors(reply).ShouldBe(["name", "aliases[1]", "aliases[2]", "wikidata"], ignoreOrder: true);
        (await Api.Post($"/api/parties/{Guid.NewGuid()}/aliases", new { alias = "" })).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Api.Post($"/api/parties/{Guid.NewGuid()}/aliases", new { alias = "Kremlin" })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Api.Get("/api/parties")).Field("total").ShouldBe("0");
    }

    [Fact]
    public async Task registry_writes_need_an_editor_key()
    {
        (await Api.Post("/api/parties", NorthKorea, key: null)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.Post("/api/parties", NorthKorea, key: AppFixture.ReaderKey)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await Api.Get("/api/parties")).Field("total").ShouldBe("0");
    }

    [Fact]
    public async Task an_added_alias_resolves_to_the_canonical_party_on_a_node_that_had_cached_the_registry()
    {
        var korea = await Api.Post("/api/parties", NorthKorea);
        var otherNode = new PartyNames();
        (await Resolve(otherNode, "Kim's country")).ShouldBeNull();

        var added = await Api.Post($"/api/parties/{korea.Json["id"]}/aliases", new { alias = "Kim's  country" });
        var again = await Api.Post($"/api/parties/{korea.Json["id"]}/aliases", new { alias = "KIM'S COUNTRY" });

        added.Status.ShouldBe(HttpStatusCode.OK, added.Text);
        added.Field("version").ShouldBe("2");
        again.Field("version").ShouldBe("2");
        (await Resolve(otherNode, " kim's \t Country"))!.Name.ShouldBe("North Korea");
        (await Resolve(otherNode, "dprk"))!.Name.ShouldBe("North Korea");
        (await Resolve(otherNode, "Seoul")).ShouldBeNull();
    }

    [Fact]
    public async Task concurrent_registrations_of_one_name_land_once()
    {
        var spellings = new[] { "South Korea", "south korea", "SOUTH  KOREA", " South Korea ", "South\tKorea", "south KOREA" };

        var replies = await Task.WhenAll(spellings.Select(s => Api.Post("/api/parties", new { name = s })));

        replies.Count(r => r.Status == HttpStatusCode.Created).ShouldBe(1);
        replies.Count(r => r.Status == HttpStatusCode.Conflict).ShouldBe(spellings.Length - 1);
        (await Api.Get("/api/parties")).Field("total").ShouldBe("1");
    }

    [Fact]
    public async Task the_same_idempotency_key_returns_the_first_answer_and_registers_nothing_more()
    {
        var first = await Api.Post("/api/parties", NorthKorea, idempotencyKey: "party-1");
        var retry = await Api.Post("/api/parties", NorthKorea, idempotencyKey: "party-1");
        var reused = await Api.Post("/api/parties", new { name = "Russia" }, idempotencyKey: "party-1");

        first.Status.ShouldBe(HttpStatusCode.Created, first.Text);
        retry.Status.ShouldBe(HttpStatusCode.Created, retry.Text);
        retry.Field("id").ShouldBe(first.Field("id"));
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        reused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Api.Get("/api/parties")).Field("total").ShouldBe("1");
    }

    [Fact]
    public async Task the_demo_registry_is_seeded_once_and_survives_an_export_verify_and_import()
    {
        var demo = ActivatorUtilities.CreateInstance<DemoParties>(Fixture.Host.Services);
        await demo.StartAsync(CancellationToken.None);
        await demo.StartAsync(CancellationToken.None);
        await Api.RegisteredClaim();
        await ProjectionsCaughtUp();

        var parties = await Api.Get("/api/parties");
        parties.Json["items"]!.AsArray().Select(p => $"{p!["name"]} {p["wikidata"]}").ShouldBe(["North Korea Q423", "Russia Q159", "South Korea Q884"]);
        (await Resolve(new PartyNames(), "the Kremlin")).ShouldBeNull();
        (await Resolve(new PartyNames(), "kremlin"))!.Name.ShouldBe("Russia");
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
        var export = await Api.Http.GetStringAsync("/api/audit/events.ndjson");

        await Fixture.ResetStore();
        var imported = await Api.Send(HttpMethod.Post, "/api/admin/import", export, AppFixture.AdminKey);

        imported.Status.ShouldBe(HttpStatusCode.OK, imported.Text);
        imported.Field("claims").ShouldBe("1");
        await ProjectionsCaughtUp();
        (await Api.Get("/api/parties")).Text.ShouldBe(parties.Text);
        (await Api.Post("/api/parties", new { name = "ROK" })).Status.ShouldBe(HttpStatusCode.Conflict);
        var verify = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        verify.Field("ok").ShouldBe("true", verify.Text);
        var page = WebUtility.HtmlDecode(await Api.Http.GetStringAsync("/parties"));
        page.ShouldContain("DPRK, Democratic People's Republic of Korea, Pyongyang");
        page.ShouldContain("href=\"/parties\" aria-current=\"page\"");
        WebUtility.HtmlDecode(await Api.Http.GetStringAsync("/activity")).ShouldNotContain("(unknown claim)");
    }

    private async Task<Party?> Resolve(PartyNames names, string name)
    {
        await using var session = Fixture.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await names.Resolve(session, name, CancellationToken.None);
    }

    private static List<string> Errors(Reply reply) => reply.Json["errors"]!.AsObject().Select(e => e.Key).ToList();
}
