using System.Globalization;
using ClaimsTracker.Infrastructure;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using Wolverine.Runtime;
using static ClaimsTracker.Dashboard.Fragments;

namespace ClaimsTracker.Dashboard;

/// <summary>What the projections themselves are doing: position, lag, errors, the daemon, and rebuilds.</summary>
public static class ProjectionsPage
{
    [WolverineGet("/ops/projections")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(
        IDocumentStore store, LocalDaemon local, IWolverineRuntime runtime, ProjectionRebuilds rebuilds, PublicLogWatch log, TimeProvider clock,
        CancellationToken ct)
    {
        var status = await ProjectionsStatus.Read(store, local, runtime, rebuilds, log, clock, ct);
        return Page.Render("Projections", Html.Of($"""
            <h1>Projections</h1>
            <p>Async projections are kept by the daemon from the event store; the page follows it live.</p>
            {Page.LiveRegion(DaemonProgressRelay.Topic, "/ops/projections", Board(status))}
            <section aria-labelledby="rebuild-heading" class="rebuild">
            <h2 id="rebuild-heading">Rebuild a projection</h2>
            <p>Replays every event into the projection from scratch. Admin key required; progress shows in the table above.</p>
            <form id="rebuild-form" class="as-of-form" method="post" action="/api/admin/projections">
            <div class="field"><label for="rebuild-projection">Projection</label>
            <select id="rebuild-projection" name="projection">{status.Projections.Where(p => p.Kind != ProjectionsStatus.Subscription).Select(p => Html.Of($"<option>{p.Name}</option>"))}</select></div>
            <div class="field"><label for="rebuild-key">Admin key</label><input id="rebuild-key" name="key" type="password" autocomplete="off" required></div>
            <button type="submit">Start rebuild</button>
            </form>
            <p id="rebuild-result" role="status" aria-live="polite"></p>
            </section>
            """), Section.Projections);
    }

    private static Html Board(ProjectionsStatus status) => Html.Of($"""
        <dl class="facts daemon" id="daemon">
        <dt>Async daemon</dt><dd data-daemon="{(status.DaemonRunning ? "running" : "stopped")}">{(status.DaemonRunning ? "running" : "stopped")}{Html.When(status.AnyPaused, Html.Of($" · some projections paused"))}</dd>
        <dt>Latest event</dt><dd><span class="number" id="latest-event">{status.LatestEvent}</span></dd>
        <dt>High water mark</dt><dd><span class="number" id="high-water">{status.HighWaterMark}</span>{Html.When(status.HighWaterPolledAt is not null, Html.Of($" <span class=\"meta\">checked {Time(status.HighWaterPolledAt, "")}</span>"))}</dd>
        <dt>Inline projections</dt><dd>{string.Join(", ", status.Inline)}: {ProjectionsStatus.InlineNote}</dd>
        <dt>Nodes</dt><dd id="cluster" data-cluster="{(status.Cluster ? "yes" : "no")}" data-this-node="{status.ThisNode}">{Nodes(status)}</dd>
        </dl>
        <div class="table-frame">
        <table class="projections">
        <caption>Async projections, read at {Time(status.ReadAt)}</caption>
        <thead><tr><th scope="col">Projection</th><th scope="col">Position</th><th scope="col">Behind by</th><th scope="col">Agent here</th><th scope="col">Node</th><th scope="col">Last error</th><th scope="col">Rebuild</th></tr></thead>
        <tbody>
        {status.Projections.Select(p => Row(status, p))}
        </tbody>
        </table>
        </div>
        {(status.Log is { } log ? PublicLog(log) : Html.Empty)}
        """);

    private static Html PublicLog(PublicLogProgress log) => Html.Of($"""
        <section aria-labelledby="log-heading" id="public-log" data-sequencer="{log.Sequencer}">
        <h2 id="log-heading">Public log</h2>
        <p>Every stored event is a leaf of the log's Merkle tree; anyone can check its signed checkpoints with the public key alone.</p>
        <dl class="facts">
        <dt>Tree size</dt><dd><span class="number" id="log-size">{log.TreeSize}</span> {(log.TreeSize == 1 ? "leaf" : "leaves")} · {(log.EventsBehind == 0 ? Html.Of($"every stored event is in it") : Html.Of($"<span id=\"log-behind\">{log.EventsBehind}</span> {(log.EventsBehind == 1 ? "event" : "events")} not yet"))}</dd>
        <dt>Sequencer</dt><dd id="log-sequencer">{Sequencer(log.Sequencer)}</dd>
        <dt>Integration delay</dt><dd id="log-delay">{Delay(log)}</dd>
        <dt>Latest checkpoint</dt><dd>{(log.Checkpoint is { } note ? Html.Of($"signed {Time(log.SignedAt, "")} <a href=\"/log/checkpoint\">/log/checkpoint</a><pre id=\"log-checkpoint\">{note}</pre>") : Html.Of($"<span class=\"meta\">none signed yet</span>"))}</dd>
        <dt>Signing key</dt><dd><code id="log-key">{log.SignedBy}</code> <span class="meta">(<a href="/api/audit/log/keys">every key</a>)</span>{Html.When(log.DevelopmentKey, Html.Of($"<br><span class=\"error\" id=\"log-development-key\">the published development key: anyone can forge these checkpoints; set Audit:SigningKey</span>"))}</dd>
        </dl>
        </section>
        """);

    private static Html Sequencer(string where) => where switch
    {
        PublicLogProgress.ThisNode => Html.Of($"runs on this node"),
        PublicLogProgress.AnotherNode => Html.Of($"runs on another node; this page shows the head it stored"),
        _ => Html.Of($"<span class=\"error\">no node runs it: the log is not growing</span>"),
    };

    private static Html Delay(PublicLogProgress log)
    {
        var limit = Html.Of($"allowed: {Ms(log.MaxIntegrationDelayMs)} (Audit:MaxIntegrationDelay)");
        if (log.Sequencer != PublicLogProgress.ThisNode)
        {
            return Html.Of($"measured by the node that runs the sequencer · {limit}");
        }

        return log is { DelayP50Ms: { } p50, DelayP99Ms: { } p99 }
            ? Html.Of($"""p50 <span class="number" id="log-delay-p50">{Ms(p50)}</span>, p99 <span class="number{(p99 > log.MaxIntegrationDelayMs ? " error" : "")}" id="log-delay-p99">{Ms(p99)}</span> over the last {log.DelaysMeasured} {(log.DelaysMeasured == 1 ? "batch" : "batches")} · {limit}""")
            : Html.Of($"no batch integrated since this node took over · {limit}");
    }

    private static string Ms(double ms) => $"{ms.ToString("0.#", CultureInfo.InvariantCulture)} ms";

    private static Html Nodes(ProjectionsStatus status) => !status.Cluster
        ? Html.Of($"this node runs alone; every async projection runs here")
        : Html.Of($"""cluster of {(status.Nodes ?? []).Count}, this page from node {status.ThisNode}: <ul class="nodes">{(status.Nodes ?? []).Select(n => Html.Of($"<li data-node=\"{n.Number}\">node {n.Number}{Html.When(n.Leader, Html.Of($" (leader)"))}{Html.When(n.ThisNode, Html.Of($" (this node)"))} <span class=\"meta\">{n.Description}, checked in {Time(n.LastHealthCheck, "")}</span></li>"))}</ul>""");

    private static Html Node(ProjectionsStatus status, ProjectionProgress p) => p.Node is { } node
        ? status.Cluster
            ? Html.Of($"<span data-node=\"{node}\">node {node}{Html.When(node == status.ThisNode, Html.Of($" (this node)"))}</span>")
            : Html.Of($"<span data-node=\"{node}\">this node</span>")
        : Html.Of($"<span data-node=\"\" class=\"meta\">none assigned</span>");

    private static Html Row(ProjectionsStatus status, ProjectionProgress p) => Html.Of($"""
        <tr data-projection="{p.Name}" data-lag="{p.LagEvents}">
        <th scope="row" data-label="Projection">{p.Name}{Html.When(p.Kind == ProjectionsStatus.Subscription, Html.Of($" <span class=\"meta\">(subscription: webhooks)</span>"))}{Html.When(p.RunBy is not null, Html.Of($" <span class=\"meta\" data-run-by=\"{p.RunBy}\">(in {p.RunBy}: run and rebuilt together)</span>"))}</th>
        <td data-label="Position" class="number">{p.Position}</td>
        <td data-label="Behind by"><span class="lag" data-caught-up="{(p.LagEvents == 0 ? "yes" : "no")}">{Lag(p)}</span></td>
        <td data-label="Agent here">{p.AgentStatus}</td>
        <td data-label="Node">{Node(status, p)}</td>
        <td data-label="Last error">{(p.LastError is null ? Html.Of($"<span class=\"meta\">none</span>") : Html.Of($"<span class=\"error\">{p.LastError}</span>"))}</td>
        <td data-label="Rebuild">{Rebuilding(p.Rebuild)}</td>
        </tr>
        """);

    private static Html Lag(ProjectionProgress p) => p.LagEvents == 0
        ? Html.Of($"<span aria-hidden=\"true\">✓ </span>0 events · caught up")
        : Html.Of($"{p.LagEvents} {(p.LagEvents == 1 ? "event" : "events")} · {p.LagSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");

    private static Html Rebuilding(Rebuild? rebuild) => rebuild switch
    {
        null => Html.Of($"<span class=\"meta\">not since start</span>"),
        { State: RebuildState.Running } r => Html.Of($"<span data-rebuild=\"running\">running since {Time(r.StartedAt)}, by {r.StartedBy}</span>"),
        { State: RebuildState.Finished } r => Html.Of($"<span data-rebuild=\"finished\">finished {Time(r.EndedAt, "")}, by {r.StartedBy}</span>"),
        var r => Html.Of($"<span data-rebuild=\"failed\" class=\"error\">failed {Time(r.EndedAt, "")}</span>"),
    };
}

/// <summary>Admin operations on projections: the same status as JSON, and rebuilds (the audit tools start them too).</summary>
public static class ProjectionsAdminEndpoints
{
    [WolverineGet("/api/admin/projections", OperationId = "GetProjections")]
    [Tags("Admin")]
    [EndpointSummary("Every async projection's position, lag, agent state, last error and latest rebuild")]
    [Authorize(Policy = Policies.Administer)]
    public static async Task<ProjectionsStatus> GetAll(
        IDocumentStore store, LocalDaemon local, IWolverineRuntime runtime, ProjectionRebuilds rebuilds, PublicLogWatch log, TimeProvider clock,
        CancellationToken ct) =>
        await ProjectionsStatus.Read(store, local, runtime, rebuilds, log, clock, ct);

    [WolverineGet("/api/admin/projections/{name}", OperationId = "GetProjection")]
    [Tags("Admin")]
    [EndpointSummary("One async projection's progress, including a rebuild under way")]
    [Authorize(Policy = Policies.Administer)]
    public static async Task<IResult> GetOne(string name,
        IDocumentStore store, LocalDaemon local, IWolverineRuntime runtime, ProjectionRebuilds rebuilds, PublicLogWatch log, TimeProvider clock,
        CancellationToken ct)
    {
        var status = await ProjectionsStatus.Read(store, local, runtime, rebuilds, log, clock, ct);
        return status.Projections.FirstOrDefault(p => p.Name == name) is { } found
            ? Results.Ok(found)
            : Unknown(name, status).ToResult();
    }

    [WolverinePost("/api/admin/projections/{name}/rebuild", OperationId = "RebuildProjection")]
    [Tags("Admin")]
    [EndpointSummary("Rebuild an async projection from every event; 202, follow it at the Location")]
    [Authorize(Policy = Policies.Administer)]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType(StatusCodes.Status409Conflict)]
    public static async Task<IResult> Rebuild(string name, IDocumentStore store, ProjectionRebuilds rebuilds, LocalDaemon local, HttpContext http)
    {
        var names = ProjectionShard.All(store).Select(s => s.Name).Distinct().Concat(ProjectionRebuilds.Inline).ToList();
        if (!names.Contains(name, StringComparer.Ordinal))
        {
            return UnknownName(name, names).ToResult();
        }

        if (ProjectionsStatus.Kind(name) == ProjectionsStatus.Subscription)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A subscription is not rebuilt",
                detail: $"'{name}' sends status changes to webhooks; replaying it from the start would send every change again.");
        }

        if (await Elsewhere(store, local, [name]) is { Count: > 0 } elsewhere)
        {
            return RunsElsewhere(elsewhere);
        }

        var rebuild = rebuilds.Start(name, Actor.From(http.User).Name);
        return Results.Accepted($"/api/admin/projections/{Uri.EscapeDataString(name)}", rebuild);
    }

    [WolverinePost("/api/admin/projections/rebuild", OperationId = "RebuildAllProjections")]
    [Tags("Admin")]
    [EndpointSummary("Rebuild every projection (the webhook relay excepted); 202 with each rebuild, followed at GET /api/admin/projections/rebuilds")]
    [Authorize(Policy = Policies.Administer)]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType(StatusCodes.Status409Conflict)]
    public static async Task<IResult> RebuildAll(IDocumentStore store, ProjectionRebuilds rebuilds, LocalDaemon local, HttpContext http)
    {
        var actor = Actor.From(http.User).Name;
        var names = ProjectionShard.All(store).Select(s => s.Name).Distinct()
            .Where(n => ProjectionsStatus.Kind(n) != ProjectionsStatus.Subscription)
            .Concat(ProjectionRebuilds.Inline)
            .ToList();
        if (await Elsewhere(store, local, names) is { Count: > 0 } elsewhere)
        {
            return RunsElsewhere(elsewhere);
        }

        var started = names.Select(n => rebuilds.Start(n, actor)).ToList();
        return Results.Accepted("/api/admin/projections/rebuilds", new { rebuilds = started });
    }

    [WolverineGet("/api/admin/projections/rebuilds", OperationId = "GetRebuilds")]
    [Tags("Admin")]
    [EndpointSummary("The latest rebuild of every projection, with its progress")]
    [Authorize(Policy = Policies.Administer)]
    public static IResult GetRebuilds(IDocumentStore store, ProjectionRebuilds rebuilds) => Results.Ok(new
    {
        rebuilds = ProjectionShard.All(store).Select(s => s.Name).Distinct().Concat(ProjectionRebuilds.Inline)
            .Select(rebuilds.Latest).OfType<Rebuild>().ToList(),
    });

    /// <summary>
    /// In cluster mode an async projection is rebuilt by the node that runs it: rebuilding it here while another node
    /// keeps it would run it on two nodes at once. Inline projections are rebuilt under the writers' own lock anywhere.
    /// </summary>
    private static async Task<List<string>> Elsewhere(IDocumentStore store, LocalDaemon local, IEnumerable<string> names)
    {
        if (!local.Cluster)
        {
            return [];
        }

        var here = local.RunningHere();
        var runBy = ProjectionShard.All(store).ToDictionary(s => s.Name, s => s.RunBy, StringComparer.Ordinal);
        return names.Where(n => !ProjectionRebuilds.Inline.Contains(n)
            && !here.Any(u => LocalDaemon.IsAgentFor(u, runBy.GetValueOrDefault(n) ?? new ShardName(n)))).ToList();
    }

    private static IResult RunsElsewhere(IReadOnlyList<string> names) => Results.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "The projection runs on another node",
        detail: $"{string.Join(", ", names)} {(names.Count == 1 ? "runs" : "run")} on another node of the cluster. Send the rebuild to the node "
            + "that runs it (the projections page and GET /api/admin/projections name it), or stop every node and run `projections rebuild`.");

    private static ProblemDetails Unknown(string name, ProjectionsStatus status) =>
        UnknownName(name, status.Projections.Select(p => p.Name).ToList());

    private static ProblemDetails UnknownName(string name, IReadOnlyList<string> names) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Unknown projection",
        Detail = $"There is no async projection named '{name}'. The async projections are: {string.Join(", ", names)}. "
            + "Inline projections are written with every event and never need a rebuild here.",
    };
}
