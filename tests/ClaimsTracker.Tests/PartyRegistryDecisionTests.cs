using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using ClaimsTracker.Parties;
using Microsoft.AspNetCore.Http;

namespace ClaimsTracker.Tests;

public sealed class PartyRegistryDecisionTests
{
    private static readonly Party Russia = Party.Create(new PartyRegistered(Guid.NewGuid(), "Russia", ["Russian Federation", "Kremlin"], "Q159", "editor"));

    [Theory]
    [InlineData("North Korea", "north korea")]
    [InlineData("  North \t Korea ", "north korea")]
    [InlineData("NORTH\u00A0KOREA", "north korea")]
    [InlineData("Kim\u200BJong Un", "kim jong un")]
    public void normalising_a_name_folds_case_and_spacing(string name, string key) =>
        PartyNames.Normalize(name).ShouldBe(key);

    [Fact]
    public void a_registration_whose_alias_another_party_has_is_refused_naming_that_party()
    {
        var decision = RegisterPartyEndpoint.Decide(Guid.NewGuid(), new RegisterParty("Moscow", ["The Kremlin", " KREMLIN "], "q159"), [Russia], "editor");

        decision.Events.ShouldBeEmpty();
        decision.Problem!.Status.ShouldBe(StatusCodes.Status409Conflict);
        var errors = Infrastructure.Problems.ErrorsOf(decision.Problem);
        errors.Keys.ShouldBe(["aliases[1]", "wikidata"], ignoreOrder: true);
        errors["aliases[1]"].Single().ShouldContain($"Russia ({Russia.Id})");
    }

    [Fact]
    public void a_registration_keeps_one_spelling_of_each_alias_and_drops_the_name_repeated()
    {
        var id = Guid.NewGuid();

        var decision = RegisterPartyEndpoint.Decide(id, new RegisterParty(" North Korea ", ["DPRK", "dprk", "north  korea"], "q423"), [Russia], "editor");

        var registered = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<PartyRegistered>();
        (registered.PartyId, registered.Name, registered.Wikidata).ShouldBe((id, "North Korea", "Q423"));
        registered.Aliases.ShouldBe(["DPRK"]);
    }

    [Fact]
    public void an_alias_the_party_already_has_adds_nothing_and_one_of_another_party_is_refused()
    {
        var korea = Party.Create(new PartyRegistered(Guid.NewGuid(), "North Korea", ["DPRK"], null, "editor"));

        AddPartyAliasEndpoint.Decide(korea.Id, new AddPartyAlias(" dprk "), [Russia, korea], "editor").Events.ShouldBeEmpty();
        AddPartyAliasEndpoint.Decide(korea.Id, new AddPartyAlias("kremlin"), [Russia, korea], "editor").Problem!.Status.ShouldBe(409);
        AddPartyAliasEndpoint.Decide(Guid.NewGuid(), new AddPartyAlias("x"), [Russia, korea], "editor").Problem!.Status.ShouldBe(404);
        AddPartyAliasEndpoint.Decide(korea.Id, new AddPartyAlias("Pyongyang"), [Russia, korea], "editor").Events
            .ShouldBe([new PartyAliasAdded(korea.Id, "Pyongyang", "editor")]);
    }

    [Theory]
    [InlineData("Q159", true)]
    [InlineData("q423", true)]
    [InlineData("Q0", false)]
    [InlineData("159", false)]
    [InlineData("Q15x", false)]
    [InlineData("P31", false)]
    public void a_wikidata_id_is_q_and_a_number(string id, bool valid) => Wikidatas.IsId(id).ShouldBe(valid);

    [Theory]
    [InlineData("Article by Zain ul Abedin", "Zain ul Abedin", null)]
    [InlineData("Reuters, by Jane Doe", "Jane Doe", "Reuters")]
    [InlineData("Reuters", null, "Reuters")]
    public void a_byline_names_the_articles_author_and_an_outlet_its_publisher(string outlet, string? author, string? publisher)
    {
        var work = ClaimReviewEndpoint.Work(new Article(outlet, null, null, DateTimeOffset.UnixEpoch));

        work["author"]?["name"]?.ToString().ShouldBe(author);
        work["publisher"]?["name"]?.ToString().ShouldBe(publisher);
        work.ContainsKey("url").ShouldBeFalse();
    }
}
