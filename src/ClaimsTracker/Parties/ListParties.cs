using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Parties;

public sealed record PartyList(IReadOnlyList<PartyView> Items, int Total);

public static class ListPartiesEndpoint
{
    [WolverineGet("/api/parties", OperationId = "ListParties")]
    [Tags("Parties")]
    [EndpointSummary("The party registry: each party's canonical name, aliases and Wikidata id")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<PartyList>(StatusCodes.Status200OK)]
    public static async Task<PartyList> Get(IQuerySession session, PartyNames names, CancellationToken ct)
    {
        var parties = await names.All(session, ct);
        return new PartyList(parties.Select(PartyView.Of).ToList(), parties.Count);
    }

    [WolverineGet("/api/parties/{partyId}", OperationId = "GetParty")]
    [Tags("Parties")]
    [EndpointSummary("One party of the registry")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<PartyView>(StatusCodes.Status200OK)]
    public static async Task<IResult> GetOne(Guid partyId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Party>(partyId, ct) is { } party
            ? Results.Ok(PartyView.Of(party))
            : PartyProblems.UnknownParty(partyId).ToResult();
}
