using System.ComponentModel.DataAnnotations;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Claims;

public sealed record RecordStatements([Required] RecordStatement[]? Statements, long? ExpectedVersion) : IClaimCommand
{
    public Decision Decide(Claim claim, DecisionContext context) => RecordStatementsEndpoint.Decide(claim, this, context);
}

/// <summary>Many statements in one transaction, one read and write of the summary; consecutive versions in the order sent.</summary>
public static class RecordStatementsEndpoint
{
    /// <summary>The most statements one request may carry; a larger feed is sent in several requests.</summary>
    public const int MaxStatements = 1_000;

    public static ProblemDetails Validate(RecordStatements command, TimeProvider clock)
    {
        var validation = new Validation();
        if (command?.Statements is not { Length: > 0 } statements)
        {
            return validation.Error("statements", "is required: a list of 1 to 1000 statements").Result();
        }

        if (statements.Length > MaxStatements)
        {
            validation.Error("statements", $"must hold at most {MaxStatements} statements (got {statements.Length}); send the rest in another request");
        }

        validation.Version("expectedVersion", command.ExpectedVersion);
        var now = clock.GetUtcNow();
        for (var i = 0; i < statements.Length && i < MaxStatements; i++)
        {
            var field = $"statements[{i}]";
            if (statements[i] is not { } statement)
            {
                validation.Error(field, "must be a statement, not null");
                continue;
            }

            if (statement.ExpectedVersion is not null)
            {
                validation.Error($"{field}.expectedVersion", "is not taken per statement: set expectedVersion once, on the batch");
            }

            RecordStatementEndpoint.Check(validation, field, statement, now);
        }

        return validation.Result();
    }

    [WolverinePost("/api/claims/{claimId}/statements/batch", OperationId = "RecordStatements")]
    [Tags("Claims")]
    [EndpointSummary("Record several statements on a claim at once, all or none (at most 1000)")]
    [Authorize(Policy = Policies.Write)]
    [ProducesResponseType<StatementsReply>(StatusCodes.Status200OK)]
    public static ClaimWrite Post(Guid claimId, RecordStatements command) => ClaimWrite.To(claimId, command);

    public static Decision Decide(Claim claim, RecordStatements command, DecisionContext context)
    {
        var events = new object[command.Statements!.Length];
        for (var i = 0; i < events.Length; i++)
        {
            var decision = RecordStatementEndpoint.Decide(claim, command.Statements[i], context);
            if (decision.Problem is not null)
            {
                return decision;
            }

            events[i] = decision.Events[0];
        }

        return Decision.Append(events);
    }
}
