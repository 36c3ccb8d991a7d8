using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record RecordStatement(
    [Required] SourceInput? Source, [Required, WordsOf(typeof(Stance))] string? Stance, string? Quote, [Required] TimeInput? StatedAt, ArticleInput? ReportedIn,
    long? ExpectedVersion, [WordsOf(typeof(QuoteKind))] string? QuoteKind = null) : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => RecordStatementEndpoint.Decide(claim, this, context);
}

public static class RecordStatementEndpoint
{
    public static ProblemDetails Validate(RecordStatement command, TimeProvider clock) =>
        Check(new Validation(), "", command, clock.GetUtcNow()).Result();

    public static Validation Check(Validation validation, string field, RecordStatement? command, DateTimeOffset now)
    {
        string Name(string member) => field.Length == 0 ? member : $"{field}.{member}";
        SourceInput.Check(validation, Name("source"), command?.Source);
        if (command is null)
        {
            return validation;
        }

        validation.Word<Stance>(Name("stance"), command.Stance)
            .Text(Name("quote"), command.Quote, 4000, required: false)
            .Time(Name("statedAt"), command.StatedAt, now)
            .Version(Name("expectedVersion"), command.ExpectedVersion);
        if (command.QuoteKind is not null)
        {
            validation.Word<QuoteKind>(Name("quoteKind"), command.QuoteKind);
        }

        ArticleInput.Check(validation, Name("reportedIn"), command.ReportedIn, now, required: false);
        return validation;
    }

    [WolverinePost("/api/claims/{claimId}/statements", OperationId = "RecordStatement")]
    [Tags("Claims")]
    [EndpointSummary("Record a source's statement on a claim")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<StatementReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, RecordStatement command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, RecordStatement command, DecisionContext context)
    {
        Words.TryParse<Stance>(command.Stance, out var stance);
        Words.TryParse<QuoteKind>(command.QuoteKind, out var quoteKind);
        var source = command.Source!;
        var party = context.Parties.Attribute(claim.Parties, source.Party);
        var stated = command.StatedAt!.Value.Value;
        return Decision.Append(new StatementRecorded(
            claim.Id,
            new Source(source.Name!.Trim(), source.Role?.Trim(), party),
            stance,
            command.Quote?.Trim(),
            stated.Start,
            command.ReportedIn?.ToArticle(),
            context.Actor.Name,
            quoteKind, stated.Precision));
    }
}


