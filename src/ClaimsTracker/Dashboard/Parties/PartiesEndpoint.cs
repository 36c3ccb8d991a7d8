using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>The party registry: every spelling a statement may use for a party, and the entity it stands for.</summary>
public static class PartiesEndpoint
{
    [WolverineGet("/parties")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> List(IQuerySession session, PartyNames names, CancellationToken ct) =>
        PageResult.Of<PartiesPage>(new { Parties = await names.All(session, ct) });
}
