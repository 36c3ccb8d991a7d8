using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ClaimsTracker.IntegrationTests;

/// <summary>Runs only with CLAIMS_AUDIT_BENCH=1: the figures are measurements, not assertions, and take minutes.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CLAIMS_AUDIT_BENCH") != "1")
        {
            Skip = "measurement; run with CLAIMS_AUDIT_BENCH=1";
        }
    }
}

public sealed class AuditBenchmarks(AppFixture fixture, ITestOutputHelper output) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset World = new(2024, 2, 20, 0, 0, 0, TimeSpan.Zero);

    [BenchFact]
    public async Task verify_of_100000_events()
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await using var session = Session();
            var id = Guid.CreateVersion7();
            session.Events.StartStream<ClaimSummary>(id, [Registered(id, i), .. Enumerable.Range(1, 9).Select(n => Later(id, n))]);
            await session.SaveChangesAsync(ct);
        });
        output.WriteLine($"appended 100,000 sealed events in {clock.Elapsed.TotalSeconds:0.0} s");
        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));

        clock.Restart();
        var report = await Fixture.Host.Services.GetRequiredService<AuditVerifier>().Verify(CancellationToken.None);
        output.WriteLine($"verify: {report.Events} events, {report.Documents} documents, ok={report.Ok}, {clock.Elapsed.TotalSeconds:0.0} s");
        report.Ok.ShouldBeTrue(report.Describe());
        report.Events.ShouldBe(100_000);
    }

    [BenchFact]
    public async Task as_of_on_a_claim_with_10000_events()
    {
        var id = Guid.CreateVersion7();
        await using (var session = Session())
        {
            session.Events.StartStream<ClaimSummary>(id, Registered(id, 0));
            await session.SaveChangesAsync();
        }

        var middle = DateTimeOffset.MinValue;
        for (var batch = 0; batch < 10; batch++)
        {
            await using var session = Session();
            session.Events.Append(id, Enumerable.Range(1, batch == 9 ? 999 : 1000).Select(n => Later(id, batch * 1000 + n)).ToArray());
            await session.SaveChangesAsync();
            if (batch == 4)
            {
                middle = DateTimeOffset.UtcNow;
            }
        }

        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        var asOf = middle.ToString("O", CultureInfo.InvariantCulture);
        // the endpoint's first call also compiles its generated handler: warm it on another claim's asOf
        (await Api.Get($"/api/claims/{Guid.CreateVersion7()}?asOf={Uri.EscapeDataString(asOf)}")).Status.ShouldBe(HttpStatusCode.NotFound);
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var reply = await Api.Get($"/api/claims/{id}?asOf={Uri.EscapeDataString(asOf)}");
            times.Add(clock.Elapsed.TotalMilliseconds);
            reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
            reply.Field("version").ShouldBe("5001");
        }

        output.WriteLine($"asOf on a 10,000-event claim: {string.Join(", ", times.Select(t => $"{t:0} ms"))}; median {times.Order().ElementAt(2):0} ms");
    }

    private IDocumentSession Session()
    {
        var session = Fixture.Store.LightweightSession();
        session.LastModifiedBy = "bench";
        session.CorrelationId = Guid.NewGuid().ToString("N");
        session.CausationId = "bench";
        return session;
    }

    private static ClaimRegistered Registered(Guid id, int n) => new(id, $"Claim number {n}", ["Russia", "North Korea"], ["bench"],
        new Article("Example Wire", "https://example.org/bench", "Bench", World), "bench");

    /// <summary>Mostly reports, every tenth a statement of one party or the other.</summary>
    private static object Later(Guid id, int n) => n % 10 == 0
        ? new StatementRecorded(id, new Source(n % 20 == 0 ? "Peskov" : "KCNA", "spokesperson", n % 20 == 0 ? "Russia" : "North Korea"),
            n % 30 == 0 ? Stance.Denies : Stance.Confirms, "On the record.", World.AddMinutes(n), null, "bench")
        : new ClaimReported(id, new Article("Example Wire", $"https://example.org/{n}", null, World.AddMinutes(n)), "bench");
}
