using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Audit.PublicLog;
using Xunit.Abstractions;

namespace ClaimsTracker.FaultTests;

/// <summary>
/// The public log through SIGKILLs: of the only node while its sequencer integrates a large import and a write load,
/// and of the cluster node that leads the log. Every acknowledged write must end up a leaf, the signed root must be the
/// one recomputed here from the events table, and every checkpoint ever published must be a prefix of the final tree.
/// Kill moments are random; the seed is printed.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PublicLogFaultTests(FaultFixture postgres, ITestOutputHelper output)
{
    private const int Writers = 6;
    private const int ImportedClaims = 1_200;
    private const int EventsPerClaim = 10;
    private const int KillsUnderLoad = 2;
    private const long LeaderLock = 0x436c61696d4c6f67;   // LogSequencer.LeaderLock: the session lock of the node that leads the log

    private static readonly string SigningKey = NoteSigner.GeneratePrivateKey("faults.claimstracker.test/log");

    [Fact]
    public async Task sigkill_while_the_log_integrates_loses_no_leaf_and_after_restart_the_tree_is_exactly_the_events()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var database = await postgres.FreshDatabase();
        await using var service = await ServiceProcess.Start(database, Signed());
        var audit = new LogAudit(database);
        var store = new StoreChecks(database);
        var key = await LogAudit.Key(service);
        var kills = new List<(Checkpoint Saved, long Backlog)>();

        // one transaction of 12,000 events: they become visible at once, and the sequencer takes them 10,000 at a time
        var importClock = Stopwatch.StartNew();
        await Import(service);
        var imported = importClock.Elapsed;
        await Task.Delay(random.Next(0, 100));
        kills.Add(await KillNow(service, audit, key));
        // again as soon as the restarted sequencer has stored a batch, before the service even answers
        service.Launch();
        await Until(async () => await audit.Head() is var head && (head.Size > kills[0].Saved.Size || head.Backlog == 0), TimeSpan.FromSeconds(90));
        kills.Add(await KillNow(service, audit, key));
        await service.Start();

        var load = new WriteLoad(() => service.Http, Writers);
        load.Start();
        await Warm(load);
        for (var kill = 0; kill < KillsUnderLoad; kill++)
        {
            await Task.Delay(random.Next(300, 1200));
            kills.Add(await KillNow(service, audit, key));
            await service.Start();
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();
        TimeSpan caughtUp;
        try
        {
            caughtUp = await Until(async () => await audit.Backlog() == 0, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"the log is {await audit.Backlog()} events behind; the service's last lines:\n{string.Join('\n', service.Output.TakeLast(30))}");
            throw;
        }

        var missing = await store.Missing(load.Acknowledged);
        await store.ProjectionsCaughtUp(TimeSpan.FromSeconds(60));   // verify compares them with a rebuild
        var events = await audit.Leaves();
        var leaves = events.Select(e => e.Leaf).ToList();
        var note = await LogAudit.Note(service);
        var final = note is null ? null : LogAudit.Open(key, note);
        var report = await LogAudit.Verify(service);

        output.WriteLine($"log kills (seed {seed}): imported {ImportedClaims * EventsPerClaim} events in {imported.TotalSeconds:F1} s; " +
                         $"{kills.Count} SIGKILLs with {string.Join(", ", kills.Select(k => k.Backlog))} events not yet integrated " +
                         $"(checkpoints saved at sizes {string.Join(", ", kills.Select(k => k.Saved.Size))}); {load.Summary()}; " +
                         $"log caught up {caughtUp.TotalMilliseconds:F0} ms after the load; {events.Count} events, checkpoint {final?.Size}; " +
                         $"verify: ok {report["ok"]}, {report["leaves"]} leaves, {report["pending"]} pending, {report["log"]?.AsArray().Count} log findings");
        load.Unexpected.ShouldBeEmpty();
        load.Acknowledged.Count.ShouldBeGreaterThan(30);
        missing.ShouldBeEmpty();
        // the first kill fell while the sequencer had the import's leaves to integrate, not after it was done
        kills[0].Backlog.ShouldBeGreaterThan(0);
        kills[1].Saved.Size.ShouldBeGreaterThan(kills[0].Saved.Size);
        final.ShouldNotBeNull("the latest checkpoint does not verify with the published key");
        final.Size.ShouldBe(events.Count);
        final.Root.ShouldBe(LogAudit.TreeHash(leaves, events.Count), "the signed root is not the tree of the stored events");
        foreach (var (saved, _) in kills)
        {
            LogAudit.TreeHash(leaves, saved.Size).ShouldBe(saved.Root, $"the checkpoint of size {saved.Size} saved before a kill is not a prefix of the final tree");
            (await LogAudit.Consistent(service, saved, final)).ShouldBeTrue($"no valid consistency proof from size {saved.Size} to {final.Size}");
        }

        var leafOf = events.Select((e, i) => (e.Stream, e.Version, Index: i)).ToDictionary(e => (e.Stream, e.Version), e => e.Index);
        load.Acknowledged.Where(write => !leafOf.ContainsKey((write.ClaimId, write.Version))).ShouldBeEmpty();
        foreach (var write in load.Acknowledged.OrderBy(_ => random.Next()).Take(20))
        {
            var index = leafOf[(write.ClaimId, write.Version)];
            (await LogAudit.Included(service, index, leaves[index], final)).ShouldBeTrue($"no valid inclusion proof of leaf {index}");
        }

        ((bool)report["ok"]!).ShouldBeTrue(report.ToJsonString());
        ((long)report["leaves"]!).ShouldBe(events.Count);
        ((long)report["pending"]!).ShouldBe(0);
        report["log"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task the_cluster_node_leading_the_log_killed_under_load_hands_it_to_a_survivor_with_no_fork_and_no_conflicting_checkpoints()
    {
        var database = await postgres.FreshDatabase();
        var settings = Signed(("Cluster:Enabled", "true"));
        var audit = new LogAudit(database);
        var store = new StoreChecks(database);
        var nodes = new List<ServiceProcess> { await ServiceProcess.Start(database, settings) };
        try
        {
            nodes.AddRange(await Task.WhenAll(ServiceProcess.Start(database, settings), ServiceProcess.Start(database, settings)));
            // replaced, never changed in place: the writers and the collector read it from other threads
            IReadOnlyList<ServiceProcess> alive = nodes.ToArray();
            var key = await LogAudit.Key(nodes[0]);
            using var collector = new CheckpointCollector(() => alive);
            collector.Start();
            var next = 0;
            var load = new WriteLoad(() => { var now = alive; return now[Interlocked.Increment(ref next) % now.Count].Http; }, Writers);
            load.Start();
            await Warm(load);
            await Task.Delay(TimeSpan.FromSeconds(2));

            var leaders = await Leaders(alive);
            leaders.Count.ShouldBe(1, "exactly one node says it integrates the public log");
            (await LockHolders(store)).ShouldBe(1);
            var victim = leaders[0];
            alive = alive.Where(n => n != victim).ToArray();
            var sizeAtKill = collector.Largest;
            var clock = Stopwatch.StartNew();
            await victim.Kill();
            await Until(async () => (await Leaders(alive)).Count == 1, TimeSpan.FromSeconds(30));
            var takeover = clock.Elapsed;
            await Until(() => Task.FromResult(collector.Largest > sizeAtKill), TimeSpan.FromSeconds(30));
            var resumed = clock.Elapsed;

            await Task.Delay(TimeSpan.FromSeconds(3));
            await load.StopAsync();
            var caughtUp = await Until(async () => await audit.Backlog() == 0, TimeSpan.FromSeconds(30));
            var events = await audit.Leaves();
            await Until(() => Task.FromResult(collector.Largest == events.Count), TimeSpan.FromSeconds(10));
            var newLeaders = await Leaders(alive);
            var holders = await LockHolders(store);
            collector.Dispose();
            await collector.Stopped;
            var missing = await store.Missing(load.Acknowledged);
            var leaves = events.Select(e => e.Leaf).ToList();
            var seen = collector.Seen.Values.OrderBy(c => c.Body.Size).ToList();
            var forged = seen.Where(c => LogAudit.Open(key, c.Note) is null).ToList();
            var fromVictim = seen.Count(c => c.Port == victim.Port);

            output.WriteLine($"log leader kill: {collector.Polls} polls of every live node's checkpoint, {seen.Count} distinct checkpoints " +
                             $"({fromVictim} served by the killed leader, port {victim.Port}); killed at size {sizeAtKill}; a survivor said it led " +
                             $"{takeover.TotalMilliseconds:F0} ms after the kill and a larger checkpoint was served {resumed.TotalMilliseconds:F0} ms after the kill; " +
                             $"{load.Summary()}; lost {missing.Count}; log caught up {caughtUp.TotalMilliseconds:F0} ms after the load; " +
                             $"{events.Count} events, final checkpoint {collector.Largest}; {clock.Elapsed.TotalSeconds:F0} s from kill to end");
            load.Unexpected.ShouldBeEmpty();
            load.Acknowledged.Count.ShouldBeGreaterThan(100);
            missing.ShouldBeEmpty();
            newLeaders.Count.ShouldBe(1);
            holders.ShouldBe(1);
            collector.Unreadable.ShouldBeEmpty();
            forged.ShouldBeEmpty();
            fromVictim.ShouldBeGreaterThan(0);
            seen.Count(c => c.Body.Size > sizeAtKill).ShouldBeGreaterThan(1);
            seen[^1].Body.Size.ShouldBe(events.Count);
            // one tree: a size is signed with one root only, and every checkpoint is the tree of the first events of the table
            seen.GroupBy(c => c.Body.Size).ShouldAllBe(g => g.Select(c => Convert.ToBase64String(c.Body.Root)).Distinct().Count() == 1);
            foreach (var checkpoint in seen)
            {
                LogAudit.TreeHash(leaves, checkpoint.Body.Size).ShouldBe(checkpoint.Body.Root,
                    $"the checkpoint of size {checkpoint.Body.Size} served by port {checkpoint.Port} is not the tree of the first {checkpoint.Body.Size} events");
            }

            // and as a client checks it with nothing but the service's proofs: each checkpoint extends the one before it
            for (var i = 1; i < seen.Count; i++)
            {
                (await LogAudit.Consistent(alive[0], seen[i - 1].Body, seen[i].Body)).ShouldBeTrue(
                    $"no valid consistency proof from size {seen[i - 1].Body.Size} to {seen[i].Body.Size}");
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                output.WriteLine($"--- node on port {node.Port}, its last lines:\n{string.Join('\n', node.Output.TakeLast(30))}");
            }

            throw;
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string> Signed(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string> { ["Audit:SigningKey"] = SigningKey };
        foreach (var (name, value) in more)
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>Saves the latest checkpoint and how far the log lags the events, then SIGKILLs the service at once.</summary>
    private static async Task<(Checkpoint Saved, long Backlog)> KillNow(ServiceProcess service, LogAudit audit, NoteVerifier key)
    {
        var (_, note, backlog) = await audit.Head();
        await service.Kill();
        note.ShouldNotBeNull("the service published no checkpoint before the kill");
        return (LogAudit.Open(key, note).ShouldNotBeNull("a checkpoint published before the kill does not verify"), backlog);
    }

    /// <summary>An NDJSON export of <see cref="ImportedClaims"/> claims of <see cref="EventsPerClaim"/> events, imported into the empty store.</summary>
    private static async Task Import(ServiceProcess service)
    {
        var lines = new StringBuilder();
        var recordedAt = DateTimeOffset.UtcNow.AddDays(-1);
        for (var c = 0; c < ImportedClaims; c++)
        {
            var claim = Guid.NewGuid();
            for (var version = 1; version <= EventsPerClaim; version++)
            {
                recordedAt = recordedAt.AddMilliseconds(1);
                object data = version == 1
                    ? new
                    {
                        claimId = claim, statement = $"Imported claim {c}", parties = new[] { "Russia" }, topics = new[] { "weapons" },
                        firstReport = new { outlet = "Example Wire", url = "https://example.org/i", headline = "H", publishedAt = "2024-02-20T00:00:00Z" },
                        recordedBy = "fault-admin",
                    }
                    : new
                    {
                        claimId = claim, source = new { name = $"Source {version % 7}", role = "spokesperson", party = "North Korea" },
                        stance = version % 3 == 0 ? "denies" : "confirms", quote = "On the record.",
                        statedAt = "2024-02-21T00:00:00Z", recordedBy = "fault-admin",
                    };
                lines.Append(JsonSerializer.Serialize(new
                {
                    streamId = claim, version, type = version == 1 ? "claim_registered" : "statement_recorded",
                    recordedAt = recordedAt.ToString("O", CultureInfo.InvariantCulture), actor = "fault-admin", data,
                    idempotencyKey = $"import-{c}-{version}",
                })).Append('\n');
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/import")
        {
            Content = new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.AdminKey}");
        using var http = new HttpClient { BaseAddress = service.Http.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        using var reply = await http.SendAsync(request);
        var text = await reply.Content.ReadAsStringAsync();
        reply.StatusCode.ShouldBe(HttpStatusCode.OK, text);
    }

    /// <summary>The live nodes that say, on /health/ready, that they integrate the public log.</summary>
    private static async Task<List<ServiceProcess>> Leaders(IReadOnlyList<ServiceProcess> nodes)
    {
        var says = await Task.WhenAll(nodes.Select(async node =>
        {
            using var reply = await node.Http.GetAsync("/health/ready");
            var health = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
            return ((string?)health["checks"]?["public-log"]?["description"])?.StartsWith("this node integrates the public log", StringComparison.Ordinal) == true;
        }));
        return nodes.Where((_, i) => says[i]).ToList();
    }

    /// <summary>The database sessions holding the log's leader lock (a bigint advisory lock: its high and low halves).</summary>
    private static Task<long> LockHolders(StoreChecks store) => store.Scalar<long>($"""
        select count(*) from pg_locks
        where locktype = 'advisory' and granted and classid = {LeaderLock >> 32} and objid = {LeaderLock & 0xffffffff} and objsubid = 1
        """);

    private static async Task Warm(WriteLoad load)
    {
        for (var wait = 0; wait < 120 && load.Acknowledged.Count < 40; wait++)
        {
            await Task.Delay(250);
        }
    }

    /// <summary>Waits (bounded) until the condition holds; returns how long that took.</summary>
    private static async Task<TimeSpan> Until(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"not within {limit}");
    }

    /// <summary>Reads every live node's latest checkpoint over and over, as many clients would, and keeps each distinct one.</summary>
    private sealed class CheckpointCollector(Func<IReadOnlyList<ServiceProcess>> nodes) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _largest = -1;

        public ConcurrentDictionary<string, SeenCheckpoint> Seen { get; } = new();

        public ConcurrentQueue<string> Unreadable { get; } = new();

        public int Polls { get; private set; }

        public long Largest => Interlocked.Read(ref _largest);

        public Task Stopped { get; private set; } = Task.CompletedTask;

        public void Start() => Stopped = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.WhenAll(nodes().Select(async node =>
                {
                    if (await LogAudit.Note(node) is not { } note || Seen.ContainsKey(note))
                    {
                        return;
                    }

                    if (!Checkpoint.TryParse(note.Split("\n\n")[0] + "\n", out var checkpoint))
                    {
                        Unreadable.Enqueue($"port {node.Port}: {note}");
                        return;
                    }

                    Seen.TryAdd(note, new SeenCheckpoint(note, checkpoint, node.Port, _clock.Elapsed));
                    if (checkpoint.Size > Largest)
                    {
                        Interlocked.Exchange(ref _largest, checkpoint.Size);
                    }
                }));
                Polls++;
                await Task.Delay(30);
            }
        });

        public void Dispose() => _stop.Cancel();
    }
}
