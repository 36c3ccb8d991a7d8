using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record RelateClaim([Required, WordsOf(typeof(RelationKind))] string? Kind, [Required] Guid? ClaimId, string? Note, long? ExpectedVersion) : ILooksUp
{
    public async Task<IClaimCommand> LookUp(IQuerySession session, Claim claim, DecisionContext context, CancellationToken ct) =>
        new Resolved(this, ClaimId is { } other && await session.LoadAsync<ClaimSummary>(other, ct) is not null);

    public Decision Decide(Claim claim, DecisionContext context) => throw new InvalidOperationException("decided once looked up");

    public sealed record Resolved(RelateClaim Command, bool OtherExists) : IClaimCommand
    {
        public long? ExpectedVersion => Command.ExpectedVersion;

        public Decision Decide(Claim claim, DecisionContext context) => RelateClaimEndpoint.Decide(claim, Command, OtherExists, context);
    }
}

public static class RelateClaimEndpoint
{
    public static ProblemDetails Validate(RelateClaim command)
    {
        var validation = new Validation().Word<RelationKind>("kind", command?.Kind)
            .Text("note", command?.Note, 2000, required: false)
            .Version("expectedVersion", command?.ExpectedVersion);
        if (command?.ClaimId is null || command.ClaimId == Guid.Empty)
        {
            validation.Error("claimId", "is required: the id of the claim to relate to");
        }

        return validation.Result();
    }

    [WolverinePost("/api/claims/{claimId}/relations", OperationId = "RelateClaim")]
    [Tags("Claims")]
    [EndpointSummary("Relate the claim to another: depends_on, same_as or contradicts")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, RelateClaim command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, RelateClaim command, bool otherExists, DecisionContext context)
    {
        var other = command.ClaimId!.Value;
        if (other == claim.Id)
        {
            return Decision.Refuse("claimId", "a claim cannot be related to itself; give the id of another claim");
        }

        if (!otherExists)
        {
            return ClaimProblems.UnknownClaim(other);
        }

        if (claim.Relations.Length >= ClaimRelation.Max && claim.Relations.All(r => r.ClaimId != other))
        {
            return Decision.Refuse("claimId", $"the claim already names {ClaimRelation.Max} related claims, the most it may; remove one first");
        }

        Words.TryParse<RelationKind>(command.Kind, out var kind);
        if (kind == RelationKind.SameAs && claim.Relations.Any(r => r.Kind == RelationKind.SameAs && r.ClaimId != other))
        {
            return Decision.Refuse("kind", "the claim is already the same as another claim; a claim duplicates at most one, remove that relation first");
        }

        return Decision.Append(new ClaimRelated(claim.Id, kind, other, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim(),
            context.Now, context.Actor.Name));
    }
}
