using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Claims;
using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Audit;

/// <summary>
/// One exported event: everything an auditor needs to read it alone, its leaf in the public log (null until
/// integrated), and <see cref="Entry"/>, the object whose JCS bytes are that leaf's entry.
/// </summary>
public sealed record ExportedEvent(
    long Sequence, Guid StreamId, long Version, string Type, DateTimeOffset RecordedAt, DateTimeOffset? WorldAt,
    string? Actor, string? CorrelationId, string? CausationId, string? IdempotencyKey, JsonNode? Data, long? LeafIndex,
    JsonObject? Entry, Dictionary<string, object>? Headers = null)
{
    public static ExportedEvent Of(IEvent e, long? leafIndex, StoredEvent? stored) => new(e.Sequence, e.StreamId, e.Version,
        e.EventTypeName, e.Timestamp, WorldTime.OfEvent(e.Data), e.UserName, e.CorrelationId, e.CausationId, IdempotencyKeyOf(e.Headers),
        JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), Json.Options), leafIndex,
        stored is null ? null : LogEntry.Object(stored), e.Headers is null ? null : new Dictionary<string, object>(e.Headers));

    public static string? IdempotencyKeyOf(IReadOnlyDictionary<string, object>? headers) =>
        headers?.TryGetValue("idempotencyKey", out var key) == true ? key?.ToString() : null;
}

/// <summary>The log, or one claim's part of it, as NDJSON (one event a line) or CSV, streamed in sequence order.</summary>
public static class ExportEndpoints
{
    private const int PageSize = 2000, ClaimPageSize = 250;

    [NoReadDeadline] // streamed: its own pace, not the read deadline
    [WolverineGet("/api/audit/events.ndjson", OperationId = "ExportLogNdjson")]
    [Tags("Audit")]
    [EndpointSummary("The whole event log as NDJSON, one event a line with its metadata, leaf index and leaf entry")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ExportedEvent>(StatusCodes.Status200OK, "application/x-ndjson")]
    public static IResult Log(IDocumentStore store) => Ndjson(store, null, "claims-log.ndjson");

    [NoReadDeadline]
    [WolverineGet("/api/audit/events.csv", OperationId = "ExportLogCsv")]
    [Tags("Audit")]
    [EndpointSummary("The whole event log as CSV for spreadsheets")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv")]
    public static IResult LogCsv(IDocumentStore store) => Csv(store, null, "claims-log.csv");

    [NoReadDeadline]
    [WolverineGet("/api/claims/{claimId}/events.ndjson", OperationId = "ExportClaimNdjson")]
    [Tags("Audit")]
    [EndpointSummary("One claim's events as NDJSON with metadata and leaves")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<ExportedEvent>(StatusCodes.Status200OK, "application/x-ndjson")]
    public static async Task<IResult> Claim(Guid claimId, IDocumentStore store, IQuerySession session, CancellationToken ct) =>
        await Exists(session, claimId, ct) ? Ndjson(store, claimId, $"claim-{claimId}.ndjson") : ClaimProblems.UnknownClaim(claimId).ToResult();

    [NoReadDeadline]
    [WolverineGet("/api/claims/{claimId}/events.csv", OperationId = "ExportClaimCsv")]
    [Tags("Audit")]
    [EndpointSummary("One claim's events as CSV")]
    [Authorize(Policy = Policies.Read)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv")]
    public static async Task<IResult> ClaimCsv(Guid claimId, IDocumentStore store, IQuerySession session, CancellationToken ct) =>
        await Exists(session, claimId, ct) ? Csv(store, claimId, $"claim-{claimId}.csv") : ClaimProblems.UnknownClaim(claimId).ToResult();

    public static async IAsyncEnumerable<ExportedEvent> Events(
        IDocumentStore store, Guid? claimId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var log = new LogReader(store);
        long after = 0;
        while (true)
        {
            // one claim pages by its (id, version) index, so the first bytes cost a page, not a sort of the stream
            var page = claimId is { } id
                ? await session.Events.QueryAllRawEvents().Where(e => e.StreamId == id && e.Version > after)
                    .OrderBy(e => e.Version).Take(ClaimPageSize).ToListAsync(ct)
                : await session.Events.QueryAllRawEvents().Where(e => e.Sequence > after)
                    .OrderBy(e => e.Sequence).Take(PageSize).ToListAsync(ct);
            var sequences = page.Select(e => e.Sequence).ToArray();
            var leaves = await log.LeafIndexes(session.Connection, sequences, ct);
            var rows = await Rows(session.Connection, log.Tables, sequences, ct);
            foreach (var e in page)
            {
                yield return ExportedEvent.Of(e, leaves.TryGetValue(e.Sequence, out var leaf) ? leaf : null, rows.GetValueOrDefault(e.Sequence));
            }

            if (page.Count < (claimId is null ? PageSize : ClaimPageSize))
            {
                yield break;
            }

            after = claimId is null ? page[^1].Sequence : page[^1].Version;
        }
    }

    private static async Task<Dictionary<long, StoredEvent>> Rows(
        Npgsql.NpgsqlConnection connection, LogTables tables, long[] sequences, CancellationToken ct)
    {
        var rows = new Dictionary<long, StoredEvent>(sequences.Length);
        await using var command = new Npgsql.NpgsqlCommand($"select {StoredEvent.Columns} from {tables.Events} where seq_id = any($1)", connection)
        {
            Parameters = { new() { Value = sequences } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = StoredEvent.Read(reader);
            rows[row.Sequence] = row;
        }

        return rows;
    }

    private static IResult Ndjson(IDocumentStore store, Guid? claimId, string fileName) => Results.Stream(async body =>
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false));
        await foreach (var e in Events(store, claimId, CancellationToken.None))
        {
            await writer.WriteAsync(JsonSerializer.Serialize(e, Json.Options));
            await writer.WriteAsync('\n');
        }
    }, "application/x-ndjson", fileName);

    private static IResult Csv(IDocumentStore store, Guid? claimId, string fileName) => Results.Stream(async body =>
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false));
        await writer.WriteAsync("sequence,stream_id,version,type,recorded_at,world_at,actor,correlation_id,causation_id,idempotency_key,leaf_index,data\r\n");
        await foreach (var e in Events(store, claimId, CancellationToken.None))
        {
            string[] cells =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.StreamId.ToString(), e.Version.ToString(CultureInfo.InvariantCulture),
                e.Type, Iso(e.RecordedAt), e.WorldAt is { } w ? Iso(w) : "", e.Actor ?? "", e.CorrelationId ?? "",
                e.CausationId ?? "", e.IdempotencyKey ?? "", e.LeafIndex?.ToString(CultureInfo.InvariantCulture) ?? "", e.Data?.ToJsonString() ?? "",
            ];
            await writer.WriteAsync(string.Join(',', cells.Select(Cell)) + "\r\n");
        }
    }, "text/csv", fileName);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting, and a leading quote mark on text a spreadsheet would run as a formula.</summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !double.TryParse(value, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private static async Task<bool> Exists(IQuerySession session, Guid claimId, CancellationToken ct) =>
        await session.Events.FetchStreamStateAsync(claimId, ct) is not null;
}
