using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Demo;

/// <summary>
/// Loads the article's claims at startup through the API's own validation, decisions and write pipeline. Every write
/// carries a fixed Idempotency-Key, so loading again adds nothing.
/// </summary>
public sealed class DemoLoader(IDocumentStore store, TimeProvider clock, ILogger<DemoLoader> logger) : IHostedService
{
    public static readonly Actor Loader = new("demo-loader", Roles.Admin);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var claim in ArticleClaims.All)
        {
            Ensure(RegisterClaimEndpoint.Validate(claim.Registration, clock));
            var registered = await Write(claim.Key, (session, request, context) => ClaimWrites.Register(session, request,
                claim.Registration, id => RegisterClaimEndpoint.Decide(id, claim.Registration, context), cancellationToken));

            foreach (var (statement, i) in claim.Statements.Select((s, i) => (s, i)))
            {
                Ensure(RecordStatementEndpoint.Validate(statement, clock));
                await Write($"{claim.Key}-statement-{i + 1}", (session, request, context) => ClaimWrites.Append(session,
                    request, registered.ClaimId, null, statement,
                    c => RecordStatementEndpoint.Decide(c, statement, context), cancellationToken));
            }

            logger.LogInformation("Demo claim {Key} is {ClaimId}", claim.Key, registered.ClaimId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<WriteOutcome.Accepted> Write(
        string key, Func<IDocumentSession, WriteRequest, DecisionContext, Task<WriteOutcome>> write)
    {
        await using var session = store.LightweightSession();
        var request = new WriteRequest(Loader, $"demo-{key}", "demo-data", "demo-data", "demo");
        var outcome = await write(session, request, new DecisionContext(Loader, clock.GetUtcNow()));
        return outcome as WriteOutcome.Accepted
            ?? throw new InvalidOperationException($"Demo write {key} was refused: {((WriteOutcome.Refused)outcome).Problem.Detail}");
    }

    private static void Ensure(ProblemDetails problem)
    {
        if (!ReferenceEquals(problem, WolverineContinue.NoProblems))
        {
            throw new InvalidOperationException($"Demo data is invalid: {problem.Title}");
        }
    }
}

public static class DemoSetup
{
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>("Demo:Seed"))
        {
            // the registry first, so that the claims' party names resolve from their first write
            services.AddHostedService<DemoParties>();
            services.AddHostedService<DemoLoader>();
        }

        return services;
    }
}
