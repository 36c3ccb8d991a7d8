using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

/// <summary>New claim text or parties, or an earlier statement, evidence or report corrected by version.</summary>
public sealed record CorrectClaim(
    [Required] string? Reason, string? Statement, long? CorrectsVersion, [WordsOf(typeof(Stance))] string? Stance, TimeInput? StatedAt, string? Quote,
    long? ExpectedVersion, SourceInput? Source = null, [WordsOf(typeof(QuoteKind))] string? QuoteKind = null, string? Url = null, string? Description = null,
    ArticleInput? Article = null, string[]? Parties = null) : ILooksUp
{
    public bool TakenWhenRetracted => true;

    public bool CorrectsStatement => Stance is not null || StatedAt is not null || Quote is not null || Source is not null || QuoteKind is not null;

    public bool CorrectsEvidence => Url is not null || Description is not null;

    // the party's latest word besides the corrected statement, so the decision needs no other statement
    public async Task<IClaimCommand> LookUp(IQuerySession session, Claim claim, DecisionContext context, CancellationToken ct)
    {
        if (Parties is not null)
        {
            var parties = Parties.Select(p => context.Parties.Attribute(claim.Parties, p)!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            return new Resolved(this, null, Besides.None) { Parties = parties, Joining = await Joining(session, claim, parties, ct) };
        }

        if (CorrectsVersion is not { } version)
        {
            return new Resolved(this, null, Besides.None);
        }

        if (CorrectsEvidence || Article is not null)
        {
            var corrected = await ClaimStream.Versions(session, claim.Id, version, Math.Min(version, claim.Version), ct);
            return new Resolved(this, null, Besides.None) { Event = corrected.FirstOrDefault()?.Data };
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

    private static async Task<PartyStanding[]> Joining(IQuerySession session, Claim claim, string[] parties, CancellationToken ct)
    {
        var joining = new List<PartyStanding>();
        foreach (var party in parties.Where(p => claim.InvolvedParty(p) is null))
        {
            var latest = await ClaimFact.LatestOf(session, claim.Id, party, 0, ct);
            var report = await ClaimFact.LatestOf(session, claim.Id, party, 0, ct, notConfirmed: true);
            joining.Add(new PartyStanding(party, latest is null ? null : latest with { Party = party }, report is null ? null : report with { Party = party }));
        }

        return [.. joining];
    }

    public sealed record Resolved(CorrectClaim Command, ClaimFact? Target, Besides Others) : IClaimCommand
    {
        public long? ExpectedVersion => Command.ExpectedVersion;

        public bool TakenWhenRetracted => true;

        public object? Event { get; init; }

        public string[]? Parties { get; init; }

        public PartyStanding[] Joining { get; init; } = [];

        public Decision Decide(Claim claim, DecisionContext context) => CorrectClaimEndpoint.Decide(claim, this, context);
    }
}

public sealed record Besides(PartyStatement? Latest, PartyStatement? NotConfirmed)
{
    public static readonly Besides None = new(null, null);
}

public static class CorrectClaimEndpoint
{
    private const string StatementFields = "source, stance, quote, quoteKind or statedAt";
    private const string EventFields = $"a statement's {StatementFields}, evidence's url or description, or a report's article";

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
            .Time("statedAt", command.StatedAt, clock.GetUtcNow(), required: false)
            .Url("url", command.Url, required: command.Url is not null)
            .Text("description", command.Description, 4000, required: false);
        ArticleInput.Check(validation, "article", command.Article, clock.GetUtcNow(), required: false);
        if (command.Parties is not null)
        {
            RegisterClaimEndpoint.CheckParties(validation, command.Parties);
        }

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

        foreach (var (field, text) in new[] { ("statement", command.Statement), ("description", command.Description) })
        {
            if (text is not null && string.IsNullOrWhiteSpace(text))
            {
                validation.Error(field, "must not be blank when given");
            }
        }

        var correctsEvents = new[] { command.CorrectsStatement, command.CorrectsEvidence, command.Article is not null }.Count(c => c);
        if (command.Statement is null && command.Parties is null && correctsEvents == 0)
        {
            validation.Error("statement", $"give the corrected claim text or parties, or correctsVersion with {EventFields}");
        }

        if (correctsEvents > 1)
        {
            validation.Error("correctsVersion", $"names one event: correct {EventFields}, one at a time");
        }

        if (command.CorrectsStatement && command.CorrectsVersion is null)
        {
            validation.Error("correctsVersion", $"is required to correct a statement's {StatementFields}");
        }
        else if (correctsEvents > 0 && command.CorrectsVersion is null)
        {
            validation.Error("correctsVersion", "is required to correct evidence's url or description, or a report's article");
        }

        if (command.Parties is not null && command.CorrectsVersion is not null)
        {
            validation.Error("parties", "correct the claim's parties without correctsVersion, apart from a correction of one of its events");
        }

        return validation.Result();
    }

    [WolverinePost("/api/claims/{claimId}/corrections", OperationId = "CorrectClaim")]
    [Tags("Claims")]
    [EndpointSummary("Correct the claim's text or parties, or an earlier statement (its source included), evidence or report")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<WriteReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, CorrectClaim command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, CorrectClaim.Resolved resolved, DecisionContext context)
    {
        var (command, target, others) = (resolved.Command, resolved.Target, resolved.Others);
        if (command.CorrectsVersion is { } version)
        {
            var refusal = (command.CorrectsEvidence, command.Article is not null, target, resolved.Event) switch
            {
                (true, _, _, not EvidenceAttached) => $"version {version} of this claim is not attached evidence",
                (_, true, _, not (ClaimReported or ClaimRegistered)) => $"version {version} of this claim is not a report",
                (false, false, not { IsStatement: true }, _) => $"version {version} of this claim is not a recorded statement",
                _ => null,
            };
            if (refusal is not null)
            {
                return Decision.Refuse("correctsVersion", refusal);
            }
        }

        Stance? stance = Words.TryParse<Stance>(command.Stance, out var parsed) ? parsed : null;
        QuoteKind? quoteKind = Words.TryParse<QuoteKind>(command.QuoteKind, out var kind) ? kind : null;
        var source = command.Source is { } s
            ? new Source(s.Name!.Trim(), s.Role?.Trim(), context.Parties.Attribute(claim.Parties, s.Party))
            : null;
        var stated = command.StatedAt?.Value;
        var corrected = new ClaimCorrected(claim.Id, command.Reason!.Trim(), command.CorrectsVersion,
            target?.SourceName, command.Statement?.Trim(), stance, stated?.Start, command.Quote?.Trim(), context.Now,
            context.Actor.Name, [], source, quoteKind, stated?.Precision, command.Url?.Trim(), command.Description?.Trim(),
            command.Article?.ToArticle());
        if (resolved.Parties is { } parties)
        {
            if (parties.Length == claim.Parties.Length && parties.All(p => claim.InvolvedParty(p) is not null))
            {
                return Decision.Refuse("parties", "are already the claim's parties; list the parties the claim should involve");
            }

            return Decision.Append(corrected with { Parties = parties, Standings = [.. parties.Select(p => Joined(claim, p, resolved.Joining))] });
        }

        if (target is null)
        {
            return Decision.Append(corrected);
        }

        var before = claim.InvolvedParty(target.Party);
        var after = source is null ? before : claim.InvolvedParty(source.Party);
        var statement = target.Statement() with { Party = after ?? "" };
        statement = statement.CorrectedBy(corrected, claim.Version + 1, statement.Party);
        var standings = new[] { before, after }.OfType<string>().Distinct()
            .Select(party => Standing(claim, party, statement, party == after, party == before ? others : Besides.None))
            .ToArray();
        return Decision.Append(corrected with { Standings = standings });
    }

    /// <summary>Where <paramref name="party"/> stands among the corrected parties: as before if it was involved, else as looked up.</summary>
    private static PartyStanding Joined(Claim claim, string party, PartyStanding[] joining) =>
        claim.InvolvedParty(party) is { } kept
            ? new PartyStanding(party, claim.LatestOf(kept), claim.NotConfirmedOf(kept))
            : joining.FirstOrDefault(j => j.Party == party) ?? new PartyStanding(party, null);

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
