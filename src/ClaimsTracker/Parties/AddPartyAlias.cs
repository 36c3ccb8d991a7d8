using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Parties;

public sealed record AddPartyAlias([Required] string? Alias);

public static class AddPartyAliasEndpoint
{
    public static ProblemDetails Validate(AddPartyAlias command) =>
        new Validation().Text("alias", command?.Alias, RegisterPartyEndpoint.MaxNameLength).Result();

    [WolverinePost("/api/parties/{partyId}/aliases", OperationId = "AddPartyAlias")]
    [Tags("Parties")]
    [EndpointSummary("Add an alias to a party")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<PartyView>(StatusCodes.Status200OK)]
    public static Task<IResult> Post(Guid partyId, AddPartyAlias command, HttpContext http, IDocumentStore store) =>
        PartyWrites.Write(http, store, command, parties => Decide(partyId, command, parties, WriteRequest.From(http).Actor.Name));

    /// <summary>An alias the party already has adds nothing; one that names another party is refused.</summary>
    public static PartyDecision Decide(Guid partyId, AddPartyAlias command, IReadOnlyList<Party> parties, string recordedBy)
    {
        if (parties.FirstOrDefault(p => p.Id == partyId) is not { } party)
        {
            return PartyDecision.Refuse(PartyProblems.UnknownParty(partyId));
        }

        var alias = command.Alias!.Trim();
        var key = PartyNames.Normalize(alias);
        if (party.Names().Any(n => PartyNames.Normalize(n) == key))
        {
            return new PartyDecision(partyId, []);
        }

        var errors = new Dictionary<string, string[]>();
        RegisterPartyEndpoint.Clashes(errors, "alias", alias, parties);
        return errors.Count > 0
            ? PartyDecision.Refuse(PartyProblems.Clash(errors))
            : new PartyDecision(partyId, [new PartyAliasAdded(partyId, alias, recordedBy)]);
    }
}
