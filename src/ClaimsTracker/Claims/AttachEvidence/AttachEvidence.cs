using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record AttachEvidence(
    [Required] string? Kind, string? Url, [Required] string? Description, [Required, WordsOf(typeof(Bearing))] string? Bearing, [Required] TimeInput? ObservedAt,
    long? ExpectedVersion)
    : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => AttachEvidenceEndpoint.Decide(claim, this, context);
}

public static class AttachEvidenceEndpoint
{
    public static ProblemDetails Validate(AttachEvidence command, TimeProvider clock) => new Validation()
        .Text("kind", command?.Kind, 100)
        .Url("url", command?.Url)
        .Text("description", command?.Description, 4000)
        .Word<Bearing>("bearing", command?.Bearing)
        .Time("observedAt", command?.ObservedAt, clock.GetUtcNow())
        .Version("expectedVersion", command?.ExpectedVersion)
        .Result();

    [WolverinePost("/api/claims/{claimId}/evidence", OperationId = "AttachEvidence")]
    [Tags("Claims")]
    [EndpointSummary("Attach evidence that supports or refutes the claim")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, AttachEvidence command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, AttachEvidence command, DecisionContext context)
    {
        Words.TryParse<Bearing>(command.Bearing, out var bearing);
        var observed = command.ObservedAt!.Value.Value;
        return Decision.Append(new EvidenceAttached(claim.Id, command.Kind!.Trim(), command.Url?.Trim(),
            command.Description!.Trim(), bearing, observed.Start, context.Actor.Name, observed.Precision));
    }
}
