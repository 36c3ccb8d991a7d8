using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Wolverine.Http;
using Wolverine.Runtime;

namespace ClaimsTracker.Dashboard;

/// <summary>What the projections themselves are doing: position, lag, errors, the daemon, and rebuilds.</summary>
public static class ProjectionsPageEndpoint
{
    [WolverineGet("/ops/projections")]
    [Authorize(Policy = Policies.Read)]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(
        IDocumentStore store, LocalDaemon local, IWolverineRuntime runtime, ProjectionRebuilds rebuilds, PublicLogWatch log, TimeProvider clock,
        CancellationToken ct)
    {
        var status = await ProjectionsStatus.Read(store, local, runtime, rebuilds, log, clock, ct);
        return PageResult.Of<ProjectionsPage>(new { Status = status });
    }
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
    [ProducesResponseType<ProjectionProgress>(StatusCodes.Status200OK)]
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
    [ProducesResponseType<Rebuild>(StatusCodes.Status202Accepted)]
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
    [ProducesResponseType<Rebuilds>(StatusCodes.Status202Accepted)]
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
        return Results.Accepted("/api/admin/projections/rebuilds", new Rebuilds(started));
    }

    [WolverineGet("/api/admin/projections/rebuilds", OperationId = "GetRebuilds")]
    [Tags("Admin")]
    [EndpointSummary("The latest rebuild of every projection, with its progress")]
    [Authorize(Policy = Policies.Administer)]
    public static Rebuilds GetRebuilds(IDocumentStore store, ProjectionRebuilds rebuilds) => new(
        ProjectionShard.All(store).Select(s => s.Name).Distinct().Concat(ProjectionRebuilds.Inline)
            .Select(rebuilds.Latest).OfType<Rebuild>().ToList());

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
