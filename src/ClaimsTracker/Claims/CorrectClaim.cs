using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

/// <summary>
/// Either new claim text, or a statement (by version) with a corrected stance, world time, quote, quote kind or source
/// (re-attributed: another name, role or party).
/// </summary>
public sealed record CorrectClaim(
    string? Reason, string? Statement, long? CorrectsVersion, string? Stance, TimeInput? StatedAt, string? Quote,
    long? ExpectedVersion, SourceInput? Source = null, string? QuoteKind = null) : ILooksUp
{
    public bool TakenWhenRetracted => true;

    /// <summary>The corrected statement and, where it is its party's latest word, the party's latest word besides it.</summary>
    public async Task<IClaimCommand> LookUp(IQuerySession session, Claim claim, CancellationToken ct)
    {
        if (CorrectsVersion is not { } version)
        {
            return new Resolved(this, null, Besides.None);
        }

        var target = await session.LoadAsync<ClaimFact>(ClaimFact.IdOf(claim.Id, version), ct);
        var party = claim.InvolvedParty(target?.Party);
        var latest = party is not null && claim.LatestOf(party)?.Version == version
            ? await ClaimFact.LatestOf(session, claim.Id, party, version, ct)
            : null;
        var report = party is not null && claim.NotConfirmedOf(party)?.Version == version
            ? await ClaimFact.LatestOf(session, claim.Id, party, version, ct, notConfirmed: true)
            : null;
        return new Resolved(this, target, new Besides(latest, report));
    }

    public Decision Decide(Claim claim, DecisionContext context) => throw new InvalidOperationException("decided once looked up");

    public sealed record Resolved(CorrectClaim Command, ClaimFact? Target, Besides Others) : IClaimCommand
    {
        public long? ExpectedVersion => Command.ExpectedVersion;

        public bool TakenWhenRetracted => true;

        public Decision Decide(Claim claim, DecisionContext context) => CorrectClaimEndpoint.Decide(claim, Command, Target, Others, context);
    }
}

/// <summary>The corrected statement's party's latest confirmation or denial and latest not-confirmed report besides it.</summary>
public sealed record Besides(PartyStatement? Latest, PartyStatement? NotConfirmed)
{
    public static readonly Besides None = new(null, null);
}

public static class CorrectClaimEndpoint
{
    private const string StatementFields = "source, stance, quote, quoteKind or statedAt";

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

        if (command.QuoteKind is not null)
        {
            validation.Word<QuoteKind>("quoteKind", command.QuoteKind);
        }

        if (command.Source is not null)
        {
            SourceInput.Check(validation, "source", command.Source);
        }

        var correctsStatement = command.Stance is not null || command.StatedAt is not null || command.Quote is not null
            || command.Source is not null || command.QuoteKind is not null;
        if (command.Statement is not null && string.IsNullOrWhiteSpace(command.Statement))
        {
            validation.Error("statement", "must not be blank when given");
        }

        if (command.Statement is null && !correctsStatement)
        {
            validation.Error("statement", $"give the corrected claim text, or correctsVersion with a corrected {StatementFields}");
        }

        if (correctsStatement && command.CorrectsVersion is null)
        {
            validation.Error("correctsVersion", $"is required to correct a statement's {StatementFields}");
        }

        return validation.Result();
    }

    [WolverinePost("/api/claims/{claimId}/corrections", OperationId = "CorrectClaim")]
    [Tags("Claims")]
    [EndpointSummary("Correct the claim's text or an earlier statement, its source included")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, CorrectClaim command) => ClaimWrite.To(claimId, command);

    /// <summary>
    /// Decides on the corrected statement (<paramref name="target"/>) and, where it is its party's latest word, that party's
    /// latest words besides it (<paramref name="others"/>): the event says where the correction leaves the statement's
    /// party before and after, both when it is re-attributed.
    /// </summary>
    public static Decision Decide(Claim claim, CorrectClaim command, ClaimFact? target, Besides others, DecisionContext context)
    {
        if (command.CorrectsVersion is { } version && target is not { IsStatement: true })
        {
            return Decision.Refuse("correctsVersion", $"version {version} of this claim is not a recorded statement");
        }

        Stance? stance = Words.TryParse<Stance>(command.Stance, out var parsed) ? parsed : null;
        QuoteKind? quoteKind = Words.TryParse<QuoteKind>(command.QuoteKind, out var kind) ? kind : null;
        var source = command.Source is { } s
            ? new Source(s.Name!.Trim(), s.Role?.Trim(), context.Parties.Attribute(claim.Parties, s.Party))
            : null;
        var stated = command.StatedAt?.Value;
        var corrected = new ClaimCorrected(claim.Id, command.Reason!.Trim(), command.CorrectsVersion,
            target?.SourceName, command.Statement?.Trim(), stance, stated?.Start, command.Quote?.Trim(), context.Now,
            context.Actor.Name, [], source, quoteKind, stated?.Precision);
        if (target is null)
        {
            return Decision.Append(corrected);
        }

        var before = claim.InvolvedParty(target.Party);
        var after = source is null ? before : claim.InvolvedParty(source.Party);
        var statement = target.Statement() with { Party = after ?? "" };
        statement = statement.CorrectedBy(corrected, statement.Party);
        var standings = new[] { before, after }.OfType<string>().Distinct()
            .Select(party => Standing(claim, party, statement, party == after, party == before ? others : Besides.None))
            .ToArray();
        return Decision.Append(corrected with { Standings = standings });
    }

    /// <summary>Where <paramref name="party"/> stands once <paramref name="corrected"/> stands as corrected (its own word or not).</summary>
    private static PartyStanding Standing(Claim claim, string party, PartyStatement corrected, bool saidByParty, Besides others)
    {
        var latest = claim.LatestOf(party);
        var rest = latest?.Version == corrected.Version ? others.Latest : latest;
        var report = claim.NotConfirmedOf(party);
        var restReport = report?.Version == corrected.Version ? others.NotConfirmed : report;
        return new PartyStanding(party,
            saidByParty && corrected.Stance is Stance.Confirms or Stance.Denies && (rest is null || Claim.Later(corrected, rest)) ? corrected : rest,
            saidByParty && corrected.Stance is Stance.NotConfirmed && (restReport is null || Claim.Later(corrected, restReport)) ? corrected : restReport);
    }
}
