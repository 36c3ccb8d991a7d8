using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClaimsTracker.Claims;
using JasperFx.Events;
using Marten;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// The board with 10,000 claims: the summaries are folded in memory by the real projection and bulk-loaded, then
/// the board is read through the real pipeline. The server times go to artifacts/measurements; nothing is timed
/// as an assertion, but each page must be the right one.
/// </summary>
public sealed class BoardScaleTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const int Claims = 10_000;

    [Fact]
    public async Task the_board_pages_filters_and_searches_through_10000_claims()
    {
        var projection = new ClaimSummaryProjection();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Fixture.Store.BulkInsertDocumentsAsync(Enumerable.Range(0, Claims).Select(i => Summary(projection, i, start)).ToList());

        var timings = new List<string>();
        async Task<string> Board(string query, string expected)
        {
            var reply = await Api.Get("/" + query);
            reply.Status.ShouldBe(HttpStatusCode.OK, query);
            reply.Text.ShouldContain(expected, customMessage: query);
            var times = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var clock = Stopwatch.StartNew();
                (await Api.Get("/" + query)).Status.ShouldBe(HttpStatusCode.OK);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            timings.Add($"GET /{query,-32} median {times[3].ToString("0.0", CultureInfo.InvariantCulture),6} ms, max {times[^1].ToString("0.0", CultureInfo.InvariantCulture),6} ms");
            return reply.Text;
        }

        var first = await Board("", "Claims 1–50 of 10000");
        first.ShouldContain($"Scale claim {Claims - 1:D5}");
        (await Board("?page=100", "Claims 4951–5000 of 10000")).ShouldContain($"Scale claim {Claims - 4951:D5}");
        await Board("?page=200", "Claims 9951–10000 of 10000");
        await Board("?status=confirmed", "of 2500");
        await Board("?status=denied&page=20", "Claims 951–1000 of 2500");
        await Board("?party=north%20korea", "of 10000");
        await Board("?topic=topic-7", "of 1000");
        (await Board("?q=scale%20claim%2004242", "Claims 1–1 of 1")).ShouldContain("Scale claim 04242");

        var report = $"{DateTimeOffset.UtcNow:O} board with {Claims} claims, in-process server time over 7 requests each:\n  "
            + string.Join("\n  ", timings) + "\n";
        Console.WriteLine(report);
        await File.AppendAllTextAsync(Path.Combine(Measurements(), "board-10k.txt"), report);
    }

    private static ClaimSummary Summary(ClaimSummaryProjection projection, int i, DateTimeOffset start)
    {
        var id = Guid.NewGuid();
        var at = start.AddMinutes(i);
        var registered = new ClaimRegistered(id, $"Scale claim {i:D5} about supplies", ["Russia", "North Korea"],
            ["scale", $"topic-{i % 10}"], new Article("Example Wire", "https://example.org/scale", "Scale", start), "bench");
        var summary = projection.Evolve(null, id, new Event<ClaimRegistered>(registered) { Version = 1, Timestamp = at });
        var stances = (i % 4) switch
        {
            0 => Array.Empty<(string, Stance)>(),
            1 => [("Russia", Stance.Confirms)],
            2 => [("Russia", Stance.Confirms), ("North Korea", Stance.Confirms)],
            _ => [("Russia", Stance.Denies)],
        };
        var version = 1;
        foreach (var (party, stance) in stances)
        {
            var statement = new StatementRecorded(id, new Source($"{party} spokesperson", "spokesperson", party), stance, "Quote.",
                start.AddHours(version), null, "bench");
            summary = projection.Evolve(summary, id, new Event<StatementRecorded>(statement) { Version = ++version, Timestamp = at });
        }

        return summary!;
    }

    private static string Measurements()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClaimsTracker.sln")))
        {
            dir = dir.Parent;
        }

        return Directory.CreateDirectory(Path.Combine(dir?.FullName ?? ".", "artifacts", "measurements")).FullName;
    }
}
