using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using Marten;

namespace ClaimsTracker.Demo;

/// <summary>The demo's registry through the registry's own decisions; a party already registered is left as it is.</summary>
public sealed class DemoParties(IDocumentStore store, PartyNames names, ILogger<DemoParties> logger) : IHostedService
{
    public static readonly IReadOnlyList<RegisterParty> All =
    [
        new("Russia", ["Russian Federation", "Moscow", "Kremlin"], "Q159"),
        new("North Korea", ["DPRK", "Democratic People's Republic of Korea", "Pyongyang"], "Q423"),
        new("South Korea", ["Republic of Korea", "ROK", "Seoul"], "Q884"),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var party in All)
        {
            await using (var session = store.QuerySession())
            {
                if (await names.Resolve(session, party.Name, cancellationToken) is not null)
                {
                    continue;
                }
            }

            var request = new WriteRequest(DemoLoader.Loader, $"demo-party-{party.Wikidata}", "demo-data", "demo-data", "demo");
            var outcome = await PartyWrites.Run(store, request, party,
                parties => RegisterPartyEndpoint.Decide(Guid.CreateVersion7(), party, parties, DemoLoader.Loader.Name), cancellationToken);
            if (outcome.Problem is { } problem)
            {
                // a party registered by hand under one of these aliases wins: the demo does not fight the registry
                logger.LogWarning("Demo party {Name} was not registered: {Problem}", party.Name, problem.Title);
                continue;
            }

            logger.LogInformation("Demo party {Name} is {PartyId}", party.Name, outcome.Party!.Id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
