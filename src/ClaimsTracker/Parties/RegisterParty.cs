using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Parties;

public sealed record RegisterParty([Required] string? Name, string[]? Aliases, string? Wikidata);

public static class RegisterPartyEndpoint
{
    public const int MaxNameLength = 100;
    public const int MaxAliases = 50;

    public static ProblemDetails Validate(RegisterParty command)
    {
        var validation = new Validation().Text("name", command?.Name, MaxNameLength);
        if (command is null)
        {
            return validation.Result();
        }

        if (command.Aliases is { Length: > MaxAliases })
        {
            validation.Error("aliases", $"must list at most {MaxAliases} aliases");
        }

        foreach (var (alias, i) in (command.Aliases ?? []).Select((a, i) => (a, i)))
        {
            validation.Text($"aliases[{i}]", alias, MaxNameLength);
        }

        if (command.Wikidata is not null && !Wikidatas.IsId(command.Wikidata))
        {
            validation.Error("wikidata", "must be a Wikidata item id, Q and a number, such as Q159");
        }

        return validation.Result();
    }

    [WolverinePost("/api/parties", OperationId = "RegisterParty")]
    [Tags("Parties")]
    [EndpointSummary("Register a party with its aliases and Wikidata id")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<PartyView>(StatusCodes.Status201Created)]
    public static Task<IResult> Post(RegisterParty command, HttpContext http, IDocumentStore store) =>
        PartyWrites.Write(http, store, command, parties => Decide(Guid.CreateVersion7(), command, parties, WriteRequest.From(http).Actor.Name));

    public static PartyDecision Decide(Guid partyId, RegisterParty command, IReadOnlyList<Party> parties, string recordedBy)
    {
        var name = command.Name!.Trim();
        var aliases = (command.Aliases ?? []).Select(a => a.Trim())
            .Where(a => PartyNames.Normalize(a) != PartyNames.Normalize(name))
            .DistinctBy(PartyNames.Normalize).ToArray();
        var wikidata = command.Wikidata?.ToUpperInvariant();
        var errors = new Dictionary<string, string[]>();
        Clashes(errors, "name", name, parties);
        foreach (var (alias, i) in (command.Aliases ?? []).Select((a, i) => (a.Trim(), i)))
        {
            Clashes(errors, $"aliases[{i}]", alias, parties);
        }

        if (wikidata is not null && parties.FirstOrDefault(p => p.Wikidata == wikidata) is { } same)
        {
            errors["wikidata"] = [$"{wikidata} is already the Wikidata id of {same.Name} ({same.Id})"];
        }

        return errors.Count > 0
            ? PartyDecision.Refuse(PartyProblems.Clash(errors))
            : new PartyDecision(partyId, [new PartyRegistered(partyId, name, aliases, wikidata, recordedBy)]);
    }

    /// <summary>Notes under <paramref name="field"/> the party, if any, that some spelling of <paramref name="name"/> already names.</summary>
    public static void Clashes(Dictionary<string, string[]> errors, string field, string name, IEnumerable<Party> parties)
    {
        var key = PartyNames.Normalize(name);
        if (parties.FirstOrDefault(p => p.Names().Any(n => PartyNames.Normalize(n) == key)) is { } owner)
        {
            errors[field] = [$"“{name}” already names {owner.Name} ({owner.Id}), case and spacing aside"];
        }
    }
}
