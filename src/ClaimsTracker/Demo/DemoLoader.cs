using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Demo;

/// <summary>Loads the article's claims through the API's own write pipeline; fixed Idempotency-Keys make loading again add nothing.</summary>
public sealed class DemoLoader(ClaimCommits commits, TimeProvider clock, ILogger<DemoLoader> logger) : IHostedService
{
    public static readonly Actor Loader = new("demo-loader", Roles.Admin);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, Guid>();
        foreach (var claim in ArticleClaims.All)
        {
            Ensure(RegisterClaimEndpoint.Validate(claim.Registration, clock));
            var registered = await Write(claim.Key, ClaimWrite.New(claim.Registration));

            foreach (var (statement, i) in claim.Statements.Select((s, i) => (s, i)))
            {
                Ensure(RecordStatementEndpoint.Validate(statement, clock));
                await Write($"{claim.Key}-statement-{i + 1}", ClaimWrite.To(registered.ClaimId, statement));
            }

            ids[claim.Key] = registered.ClaimId;
            logger.LogInformation("Demo claim {Key} is {ClaimId}", claim.Key, registered.ClaimId);
        }

        // once every claim exists, so that a claim may name one loaded after it
        foreach (var claim in ArticleClaims.All)
        {
            foreach (var (kind, other) in claim.Relations ?? [])
            {
                var relation = new RelateClaim(kind, ids[other], null, null);
                Ensure(RelateClaimEndpoint.Validate(relation));
                await Write($"{claim.Key}-{kind}-{other}", ClaimWrite.To(ids[claim.Key], relation));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<WriteOutcome.Accepted> Write(string key, ClaimWrite write)
    {
        var outcome = await commits.Submit(write, new WriteRequest(Loader, $"demo-{key}", "demo-data", "demo-data", "demo"));
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
