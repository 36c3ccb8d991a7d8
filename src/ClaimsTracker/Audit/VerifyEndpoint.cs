using ClaimsTracker.Infrastructure;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

public static class VerifyEndpoint
{
    [NoReadDeadline] // recomputes the whole log: minutes on a large store
    [WolverineGet("/api/admin/verify", OperationId = "Verify")]
    [Tags("Audit")]
    [EndpointSummary("Check the public log against the events (checkpoint, every leaf, every stream), rebuild the projections into a shadow copy and compare")]
    [Authorize(Policy = Policies.Administer)]
    [ProducesResponseType<VerifyReport>(StatusCodes.Status200OK)]
    public static async Task<VerifyReport> Get(AuditVerifier verifier, IDocumentStore store, CancellationToken ct)
    {
        try
        {
            // the async projections are compared once the daemon has caught up with the log
            await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // still behind: the report names the lagging documents rather than hiding them
        }

        return await verifier.Verify(ct);
    }
}
