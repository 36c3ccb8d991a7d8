using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

/// <summary>Either new claim text, or a statement (by version) with a corrected stance, world time or quote.</summary>
public sealed record CorrectClaim(
    string? Reason, string? Statement, long? CorrectsVersion, string? Stance, TimeInput? StatedAt, string? Quote,
    long? ExpectedVersion) : ILooksUp
{
    public bool TakenWhenRetracted => true;

    /// <summary>The corrected statement and, when it is its party's latest word, the party's latest word besides it.</summary>
    public async Task<IClaimCommand> LookUp(IQuerySession session, Claim claim, CancellationToken ct)
    {
        if (CorrectsVersion is not { } version)
        {
            return new Resolved(this, null, null);
        }

        var target = await session.LoadAsync<ClaimFact>(ClaimFact.IdOf(claim.Id, version), ct);
        var party = claim.InvolvedParty(target?.Party);
        var others = party is not null && claim.LatestOf(party)?.Version == version
            ? await ClaimFact.LatestOf(session, claim.Id, party, version, ct)
            : null;
        return new Resolved(this, target, others);
    }

    public Decision Decide(Claim claim, DecisionContext context) => throw new InvalidOperationException("decided once looked up");

    public sealed record Resolved(CorrectClaim Command, ClaimFact? Target, PartyStatement? Others) : IClaimCommand
    {
        public long? ExpectedVersion => Command.ExpectedVersion;

        public bool TakenWhenRetracted => true;

        public Decision Decide(Claim claim, DecisionContext context) => CorrectClaimEndpoint.Decide(claim, Command, Target, Others, context);
    }
}

public static class CorrectClaimEndpoint
{
    public static ProblemDetails Validate(CorrectClaim command, TimeProvider clock)
    {
        var validation = new Validation().Text("reason", command?.Reason, 4000);
        if (command is null)
        {
            return validation.Result();
        }

        validation.Text("statement", command.Statement, 2000, required: false)
            .Version("correctsVersion", command.CorrectsVersion)
            .Version("expectedVersion", command.ExpectedVersion)
            .Text("quote", command.Quote, 4000, required: false)
            .Time("statedAt", command.StatedAt, clock.GetUtcNow(), required: false);
        if (command.Stance is not null)
        {
            validation.Word<Stance>("stance", command.Stance);
        }

        var correctsStatement = command.Stance is not null || command.StatedAt is not null || command.Quote is not null;
        if (command.Statement is not null && string.IsNullOrWhiteSpace(command.Statement))
        {
            validation.Error("statement", "must not be blank when given");
        }

        if (command.Statement is null && !correctsStatement)
        {
            validation.Error("statement", "give the corrected claim text, or correctsVersion with a corrected stance, statedAt or quote");
        }

        if (correctsStatement && command.CorrectsVersion is null)
        {
            validation.Error("correctsVersion", "is required to correct a statement's stance, statedAt or quote");
        }

        return validation.Result();
    }

    [WolverinePost("/api/claims/{claimId}/corrections", OperationId = "CorrectClaim")]
    [Tags("Claims")]
    [EndpointSummary("Correct the claim's text or an earlier statement")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, CorrectClaim command) => ClaimWrite.To(claimId, command);

    /// <summary>
    /// Decides on the corrected statement (<paramref name="target"/>) and, when it is its party's latest word, that party's
    /// latest word besides it (<paramref name="others"/>): the event says where the correction leaves the party.
    /// </summary>
    public static Decision Decide(Claim claim, CorrectClaim command, ClaimFact? target, PartyStatement? others, DecisionContext context)
    {
        if (command.CorrectsVersion is { } version && target is not { Ruling: null })
        {
            return Decision.Refuse("correctsVersion", $"version {version} of this claim is not a recorded statement");
        }

        Stance? stance = Words.TryParse<Stance>(command.Stance, out var parsed) ? parsed : null;
        var stated = command.StatedAt?.Value;
        var standings = target is not null && claim.InvolvedParty(target.Party) is { } party
            ? [Standing(claim, party, target.Statement() with
            {
                Party = party, Stance = stance ?? target.Stance, StatedAt = stated?.Start ?? target.Statement().StatedAt,
                StatedAtPrecision = stated?.Precision ?? target.AtPrecision,
                Quote = command.Quote?.Trim() ?? target.Quote,
            }, others)]
            : Array.Empty<PartyStanding>();
        return Decision.Append(new ClaimCorrected(claim.Id, command.Reason!.Trim(), command.CorrectsVersion,
            target?.SourceName, command.Statement?.Trim(), stance, stated?.Start, command.Quote?.Trim(), context.Now,
            context.Actor.Name, standings, stated?.Precision));
    }

    /// <summary>The party's latest word once <paramref name="corrected"/> stands as corrected.</summary>
    private static PartyStanding Standing(Claim claim, string party, PartyStatement corrected, PartyStatement? others)
    {
        var latest = claim.LatestOf(party);
        var rest = latest?.Version == corrected.Version ? others : latest;
        var counts = corrected.Stance is Stance.Confirms or Stance.Denies;
        return new PartyStanding(party, counts && (rest is null || Claim.Later(corrected, rest)) ? corrected : rest);
    }
}
