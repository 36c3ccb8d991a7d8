using ClaimsTracker.Infrastructure;
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
    public static Task<VerifyReport> Get(AuditVerifier verifier, CancellationToken ct)
        => verifier.Verify(ct);
}
