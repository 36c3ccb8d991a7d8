using System.Text.Json.Nodes;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace ClaimsTracker.Audit.PublicLog;

public sealed record InclusionProof(long LeafIndex, long TreeSize, string LeafHash, string RootHash, IReadOnlyList<string> Hashes);

public sealed record ConsistencyProof(long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Hashes);

public sealed record LogKeyList(IReadOnlyList<PublishedKey> Keys);

public sealed record LeafEntry(long LeafIndex, JsonObject Entry);

/// <summary>The public log as anyone reads it, with no key: checkpoint, tiles (C2SP tlog-tiles), verifier keys and proofs.</summary>
public static class LogEndpoints
{
    private const string Immutable = "public, max-age=31536000, immutable";

    [AllowAnonymous]
    [WolverineGet("/log/checkpoint", OperationId = "GetLogCheckpoint")]
    [Tags("Public log")]
    [EndpointSummary("The latest signed checkpoint (C2SP tlog-checkpoint, signed note)")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/plain")]
    public static async Task<IResult> Checkpoint(HttpContext http, LogReader log, IQuerySession session, CancellationToken ct)
    {
        var head = await log.Head(session.Connection, ct);
        http.Response.Headers.CacheControl = "no-cache";
        return head.Checkpoint is { } note
            ? Results.Text(note, "text/plain; charset=utf-8")
            : Unavailable("The log has no checkpoint yet", "The sequencer signs the first one within a second of starting.");
    }

    [AllowAnonymous]
    [WolverineGet("/log/tile/{*path}", OperationId = "GetLogTile")]
    [Tags("Public log")]
    [EndpointSummary("A hash tile or an entry bundle (C2SP tlog-tiles)")]
    [ProducesResponseType<Stream>(StatusCodes.Status200OK, "application/octet-stream")]
    public static async Task<IResult> Tile(string path, HttpContext http, LogReader log, IQuerySession session, CancellationToken ct)
    {
        if (!TilePath.TryParse(path, out var tile))
        {
            return Problem(404, "No such tile", "Tile paths are tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>] as C2SP tlog-tiles writes them.");
        }

        var head = await log.Head(session.Connection, ct);
        var level = tile.IsEntries ? 0 : tile.Level;
        if ((tile.Index * TilePath.Width + tile.Width) > head.Size >> (TilePath.Height * level))
        {
            return Problem(404, "Beyond the latest checkpoint", $"The log's latest checkpoint has {head.Size} leaves; this tile needs more.");
        }

        http.Response.Headers.CacheControl = tile.IsFull ? Immutable : "no-cache";
        if (!tile.IsEntries)
        {
            var hashes = await log.Tile(session.Connection, tile.Level, tile.Index, ct);
            return hashes is null || hashes.Length < tile.Width * 32
                ? Problem(500, "The tile is missing from the store", "The log's tables lack a tile its checkpoint covers: run the audit verify.")
                : Results.Bytes(hashes.AsMemory(0, tile.Width * 32), "application/octet-stream");
        }

        var first = tile.Index * TilePath.Width;
        var leaves = await log.Leaves(session.Connection, first, first + tile.Width, ct);
        if (leaves.Count != tile.Width || leaves.Any(l => l.Event is null))
        {
            http.Response.Headers.CacheControl = "no-store";
            return Problem(500, "An integrated event is missing from the store",
                $"Leaf {leaves.FirstOrDefault(l => l.Event is null)?.Leaf} has no event: the store was changed behind the service. Run the audit verify.");
        }

        return Results.Bytes(EntryBundle.Write(leaves.Select(l => LogEntry.Bytes(l.Event!))), "application/octet-stream");
    }

    [AllowAnonymous]
    [WolverineGet("/api/audit/log/key", OperationId = "GetLogKey")]
    [Tags("Public log")]
    [EndpointSummary("The verifier key of the latest checkpoint, signed-note form")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/plain")]
    public static async Task<IResult> Key(LogKeys keys, LogReader log, IQuerySession session, CancellationToken ct) =>
        Results.Text(keys.PublishedFor((await log.Head(session.Connection, ct)).Size), "text/plain; charset=utf-8");

    [AllowAnonymous]
    [WolverineGet("/api/audit/log/keys", OperationId = "GetLogKeys")]
    [Tags("Public log")]
    [EndpointSummary("Every verifier key the log has used, with the tree sizes each signs")]
    public static LogKeyList Keys(LogKeys keys) => new(keys.Published);

    [AllowAnonymous]
    [WolverineGet("/api/audit/log/proof/inclusion", OperationId = "GetLogInclusionProof")]
    [Tags("Public log")]
    [EndpointSummary("RFC 9162 inclusion proof of a leaf in the tree of a given size")]
    [ProducesResponseType<InclusionProof>(StatusCodes.Status200OK)]
    public static async Task<IResult> Inclusion(
        long? leafIndex, long? treeSize, LogReader log, LogStatus status, IQuerySession session, CancellationToken ct)
    {
        var size = await LatestSize(log, status, session, ct);
        var errors = new Validation();
        Within(errors, "treeSize", treeSize, 1, size, $"a tree size from 1 to the latest checkpoint's ({size})");
        Within(errors, "leafIndex", leafIndex, 0, (treeSize ?? size) - 1, "a leaf index below treeSize");
        if (!errors.IsValid)
        {
            return errors.Result().ToResult();
        }

        var nodes = log.Nodes(session.Connection, treeSize!.Value);
        var proof = await Merkle.InclusionProof(leafIndex!.Value, treeSize.Value, nodes, ct);
        return Results.Ok(new InclusionProof(leafIndex.Value, treeSize.Value, B64(await nodes.Node(0, leafIndex.Value, ct)),
            B64(await Merkle.Root(treeSize.Value, nodes, ct)), proof.Select(B64).ToList()));
    }

    [AllowAnonymous]
    [WolverineGet("/api/audit/log/entry", OperationId = "GetLogEntry")]
    [Tags("Public log")]
    [EndpointSummary("One leaf's entry as JSON: the object whose RFC 8785 (JCS) bytes the leaf hashes")]
    [ProducesResponseType<LeafEntry>(StatusCodes.Status200OK)]
    public static async Task<IResult> Entry(long? leafIndex, LogReader log, IQuerySession session, CancellationToken ct)
    {
        var head = await log.Head(session.Connection, ct);
        var errors = new Validation();
        Within(errors, "leafIndex", leafIndex, 0, head.Size - 1, $"a leaf index below the latest checkpoint's size ({head.Size})");
        if (!errors.IsValid)
        {
            return errors.Result().ToResult();
        }

        var leaf = (await log.Leaves(session.Connection, leafIndex!.Value, leafIndex.Value + 1, ct)).SingleOrDefault();
        return leaf?.Event is { } stored
            ? Results.Ok(new LeafEntry(leaf.Leaf, LogEntry.Object(stored)))
            : Problem(500, "An integrated event is missing from the store",
                $"Leaf {leafIndex} has no event: the store was changed behind the service. Run the audit verify.");
    }

    [AllowAnonymous]
    [WolverineGet("/api/audit/log/proof/consistency", OperationId = "GetLogConsistencyProof")]
    [Tags("Public log")]
    [EndpointSummary("RFC 9162 consistency proof between two tree sizes")]
    [ProducesResponseType<ConsistencyProof>(StatusCodes.Status200OK)]
    public static async Task<IResult> Consistency(
        long? from, long? to, LogReader log, LogStatus status, IQuerySession session, CancellationToken ct)
    {
        var size = await LatestSize(log, status, session, ct);
        var errors = new Validation();
        Within(errors, "to", to, 1, size, $"a tree size from 1 to the latest checkpoint's ({size})");
        Within(errors, "from", from, 1, to ?? size, "a tree size from 1 to 'to'");
        if (!errors.IsValid)
        {
            return errors.Result().ToResult();
        }

        var nodes = log.Nodes(session.Connection, to!.Value);
        var proof = await Merkle.ConsistencyProof(from!.Value, to.Value, nodes, ct);
        return Results.Ok(new ConsistencyProof(from.Value, to.Value, B64(await Merkle.Root(from.Value, nodes, ct)),
            B64(await Merkle.Root(to.Value, nodes, ct)), proof.Select(B64).ToList()));
    }

    /// <summary>The node that signs knows its latest size without asking the database; the others read the head.</summary>
    private static async Task<long> LatestSize(LogReader log, LogStatus status, IQuerySession session, CancellationToken ct) =>
        status.IsLeader ? status.Size : (await log.Head(session.Connection, ct)).Size;

    private static void Within(Validation errors, string field, long? value, long min, long max, string expected)
    {
        if (value is not { } v || v < min || v > max)
        {
            errors.Error(field, $"Give {expected}{(value is null ? "" : $"; {value} is not")}.");
        }
    }

    private static string B64(byte[] hash) => Convert.ToBase64String(hash);

    private static IResult Unavailable(string title, string detail) => Problem(503, title, detail);

    private static IResult Problem(int status, string title, string detail) =>
        new ProblemDetails { Status = status, Title = title, Detail = detail }.ToResult();
}
