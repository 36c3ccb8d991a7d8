using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ClaimsTracker.FaultTests;

/// <summary>
/// Three real service processes in cluster mode on one PostgreSQL, written to through all three (as a load balancer
/// would spread them), while the node that runs projections is SIGKILLed. Wolverine's leader must keep every async
/// projection on exactly one node, move the dead node's share to a survivor, and nothing acknowledged may be lost.
/// Figures (writes/s through one node and through three, takeover time) are printed, never asserted on.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ClusterTests(FaultFixture postgres, ITestOutputHelper output)
{
    private const int Writers = 6;
    private static readonly string[] AsyncShards = ["ClaimTimeline", "SourceProfile", "SourceStatement", "SummaryCheckpoints", "webhooks"];
    private static readonly Dictionary<string, string> ClusterSettings = new() { ["Cluster:Enabled"] = "true" };

    [Fact]
    public async Task three_nodes_run_each_projection_once_and_a_killed_nodes_projections_move_to_a_survivor_without_losing_a_write()
    {
        var database = await postgres.FreshDatabase();
        var store = new StoreChecks(database);
        await using var receiver = new WebhookReceiver();
        var nodes = new List<ServiceProcess> { await ServiceProcess.Start(database, ClusterSettings) };
        try
        {
            (await Post(nodes[0], "/api/admin/webhooks", $$"""{"url":"{{receiver.Url}}"}""")).StatusCode.ShouldBe(HttpStatusCode.Created);

            // one node alone, as a baseline for the same load
            var alone = await Measure(new WriteLoad(() => nodes[0].Http, Writers), TimeSpan.FromSeconds(8));
            nodes.Add(await ServiceProcess.Start(database, ClusterSettings));
            nodes.Add(await ServiceProcess.Start(database, ClusterSettings));
            // replaced, never changed in place: the writers and the sampler read it from other threads
            IReadOnlyList<ServiceProcess> alive = nodes.ToArray();
            var spread = await Until(async () => await Layout(alive) is { } l && l.Values.All(n => n is not null), TimeSpan.FromSeconds(90));

            var next = 0;
            var load = new WriteLoad(() => { var now = alive; return now[Interlocked.Increment(ref next) % now.Count].Http; }, Writers);
            using var sampler = new AssignmentSampler(() => alive);
            sampler.Start();
            var together = await Measure(load, TimeSpan.FromSeconds(8), keepRunning: true);

            var before = (await Layout(alive))!;
            var numbers = await Task.WhenAll(alive.Select(ThisNode));
            var victimNumber = numbers.MaxBy(n => before.Values.Count(v => v == n));
            var victim = alive[Array.IndexOf(numbers, victimNumber)];
            var orphaned = before.Where(p => p.Value == victimNumber).Select(p => p.Key).ToList();
            before.Keys.Order().ShouldBe(AsyncShards.Order());
            var deliveredBeforeKill = receiver.Deliveries.Count;
            alive = alive.Where(n => n != victim).ToArray();
            var killedAt = Stopwatch.StartNew();
            await victim.Kill();
            var takeover = await Until(async () => await Running(alive) is { } running && AsyncShards.All(running.ContainsKey), TimeSpan.FromSeconds(90));
            var takenOverBy = await Running(alive);

            await Task.Delay(TimeSpan.FromSeconds(3));
            await load.StopAsync();
            var catchUp = await store.ProjectionsCaughtUp(TimeSpan.FromSeconds(90));
            var deliveriesSettled = await Until(async () => await store.Scalar<long>(
                "select count(*) from claims.wolverine_incoming_envelopes where status <> 'Handled'") == 0, TimeSpan.FromSeconds(90));
            sampler.Dispose();
            await sampler.Stopped;
            var missing = await store.Missing(load.Acknowledged);
            var duplicated = await store.DuplicatedKeys();
            var live = await store.Projections();
            var page = await Page(alive[0], "/ops/projections");
            Dictionary<string, int?>? layout = null;
            await Until(async () => (layout = await Layout(alive)) is not null && layout.Values.All(n => n != null && n != victimNumber), TimeSpan.FromSeconds(60));
            foreach (var node in alive)
            {
                (await node.Stop()).ShouldBe(0);
            }

            var rebuild = await nodes[0].Cli("projections", "rebuild");
            var rebuilt = await store.Projections();

            output.WriteLine($"cluster: one node alone {alone:F0} acknowledged writes/s, three nodes {together:F0}/s ({Writers} writers, spread round-robin); " +
                             $"projections spread over the three in {spread.TotalSeconds:F1} s; SIGKILLed node {victimNumber}, which ran {string.Join(", ", orphaned)}; " +
                             $"every projection running again on a survivor {takeover.TotalSeconds:F1} s after the kill ({string.Join(", ", takenOverBy!.Select(r => $"{r.Key} on node {string.Join("+", r.Value)}"))}); " +
                             $"{sampler.Rounds} sampling rounds of all nodes, overlaps {sampler.Overlaps.Count} ({sampler.SeenOnTwo} sightings on two nodes in one round only); {load.Summary()}; lost {missing.Count}; " +
                             $"projections caught up {catchUp.TotalSeconds:F1} s after the load; webhook deliveries {receiver.Deliveries.Count} " +
                             $"({receiver.Deliveries.Count - deliveredBeforeKill} after the kill), durable inbox drained in {deliveriesSettled.TotalSeconds:F1} s; " +
                             $"{killedAt.Elapsed.TotalSeconds:F0} s from kill to end");
            sampler.Rounds.ShouldBeGreaterThan(10);
            sampler.Overlaps.ShouldBeEmpty();
            orphaned.ShouldNotBeEmpty();
            takenOverBy!.Values.ShouldAllBe(on => on.Count == 1 && on[0] != victimNumber);
            load.Unexpected.ShouldBeEmpty();
            load.Acknowledged.Count.ShouldBeGreaterThan(100);
            missing.ShouldBeEmpty();
            duplicated.ShouldBeEmpty();
            receiver.Deliveries.Count.ShouldBeGreaterThan(deliveredBeforeKill);
            rebuild.ExitCode.ShouldBe(0, rebuild.Output);
            live.ShouldContain("timeline ");
            StoreChecks.Differences(live, rebuilt).ShouldBeEmpty();
            // the dashboard names, for every projection, the surviving node the leader gave it to
            layout!.Values.ShouldAllBe(n => n != null && n != victimNumber);
            foreach (var (name, node) in layout)
            {
                page.ShouldContain($"<tr data-projection=\"{name}\"");
                Row(page, name).ShouldContain($"data-node=\"{node}\"");
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                output.WriteLine($"--- node on port {node.Port}, its last lines:\n{string.Join('\n', node.Output.Where(l => !l.StartsWith("      ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(30))}");
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

    /// <summary>Acknowledged writes per second over a window of steady load.</summary>
    private static async Task<double> Measure(WriteLoad load, TimeSpan window, bool keepRunning = false)
    {
        load.Start();
        for (var wait = 0; wait < 240 && load.Acknowledged.Count < 40; wait++)
        {
            await Task.Delay(250);
        }

        var from = load.Acknowledged.Count;
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        var rate = (load.Acknowledged.Count - from) / clock.Elapsed.TotalSeconds;
        if (!keepRunning)
        {
            await load.StopAsync();
        }

        return rate;
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

            await Task.Delay(100);
        }

        throw new TimeoutException($"not within {limit}");
    }

    /// <summary>Which node each projection is assigned to, as the leader's assignment table says (read through any node).</summary>
    private static async Task<Dictionary<string, int?>?> Layout(IReadOnlyList<ServiceProcess> nodes)
    {
        var status = await Status(nodes[0]);
        var numbers = status["nodes"]!.AsArray().Select(n => (int)n!["number"]!).ToHashSet();
        return numbers.Count == nodes.Count
            ? status["projections"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int?)p!["node"])
            : null;
    }

    /// <summary>Each node's own word on which projections it is running now, asked of all nodes at once.</summary>
    private static async Task<Dictionary<string, List<int>>> Running(IReadOnlyList<ServiceProcess> nodes)
    {
        var statuses = await Task.WhenAll(nodes.Select(Status));
        var running = new Dictionary<string, List<int>>();
        foreach (var status in statuses)
        {
            foreach (var p in status["projections"]!.AsArray().Where(p => (string)p!["agentStatus"]! == "running"))
            {
                var name = (string)p!["name"]!;
                running[name] = [.. running.GetValueOrDefault(name) ?? [], (int)status["thisNode"]!];
            }
        }

        return running;
    }

    private static async Task<int> ThisNode(ServiceProcess node) => (int)(await Status(node))["thisNode"]!;

    private static async Task<JsonNode> Status(ServiceProcess node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/projections");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.AdminKey}");
        using var reply = await node.Http.SendAsync(request, timeout.Token);
        reply.EnsureSuccessStatusCode();
        return JsonNode.Parse(await reply.Content.ReadAsStringAsync(timeout.Token))!;
    }

    private static async Task<string> Page(ServiceProcess node, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.ReaderKey}");
        using var reply = await node.Http.SendAsync(request);
        reply.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await reply.Content.ReadAsStringAsync();
    }

    private static string Row(string page, string projection)
    {
        var start = page.IndexOf($"<tr data-projection=\"{projection}\"", StringComparison.Ordinal);
        return page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static async Task<HttpResponseMessage> Post(ServiceProcess node, string route, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.AdminKey}");
        return await node.Http.SendAsync(request);
    }

    /// <summary>
    /// Asks every live node, all at once and over and over, which projections it runs. A projection that the same
    /// nodes report running in two rounds in a row is an overlap: each ran from the first round's answer to the
    /// second's, so for that whole time they ran it together. One round alone proves nothing: the nodes answer at
    /// different moments, and a move (Wolverine stops the projection on one node, then starts it on the other) that
    /// falls between two answers of the same round shows it on both.
    /// </summary>
    private sealed class AssignmentSampler(Func<IReadOnlyList<ServiceProcess>> nodes) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public ConcurrentQueue<string> Overlaps { get; } = new();

        public int Rounds { get; private set; }

        /// <summary>Sightings on two nodes in one round only: moves caught between the nodes' answers.</summary>
        public int SeenOnTwo { get; private set; }

        public Task Stopped { get; private set; } = Task.CompletedTask;

        public void Start() => Stopped = Task.Run(async () =>
        {
            var before = new Dictionary<string, string>();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var shared = new Dictionary<string, string>();
                    foreach (var (name, on) in await Running(nodes()))
                    {
                        if (on.Count > 1)
                        {
                            shared[name] = string.Join(", ", on.Order());
                            if (before.GetValueOrDefault(name) == shared[name])
                            {
                                Overlaps.Enqueue($"{name} on nodes {shared[name]}");
                            }
                            else
                            {
                                SeenOnTwo++;
                            }
                        }
                    }

                    before = shared;
                    Rounds++;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    before = [];
                }

                await Task.Delay(200);
            }
        });

        public void Dispose() => _stop.Cancel();
    }

    /// <summary>A webhook subscriber on the loopback: records the delivery id of every POST it gets.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public WebhookReceiver()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _serving = Task.Run(Serve);
        }

        public string Url { get; }

        public ConcurrentDictionary<string, bool> Deliveries { get; } = new();

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
            }

            _listener.Close();
        }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Deliveries[context.Request.Headers["X-ClaimsTracker-Delivery"] ?? Guid.NewGuid().ToString()] = true;
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
