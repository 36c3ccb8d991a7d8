using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Infrastructure;
using Npgsql;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>One event as stored: the row, not today's classes, so an upcast never changes a leaf.</summary>
public sealed record StoredEvent(
    long Sequence, Guid StreamId, long Version, string Type, DateTimeOffset RecordedAt, string DataJson,
    string? Actor, string? CorrelationId, string? CausationId, string? IdempotencyKey)
{
    public const string Columns =
        "seq_id, stream_id, version, type, timestamp, data::text, user_name, correlation_id, causation_id, headers ->> 'idempotencyKey'";

    /// <summary>A row read with <see cref="Columns"/> starting at column <paramref name="offset"/>.</summary>
    public static StoredEvent Read(NpgsqlDataReader reader, int offset = 0) => new(
        reader.GetInt64(offset), reader.GetGuid(offset + 1), reader.GetInt64(offset + 2), reader.GetString(offset + 3),
        reader.GetFieldValue<DateTimeOffset>(offset + 4), reader.GetString(offset + 5), Text(reader, offset + 6),
        Text(reader, offset + 7), Text(reader, offset + 8), Text(reader, offset + 9));

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}

/// <summary>The leaf entry of the public log: the JCS bytes of the event as the contract names its fields.</summary>
public static class LogEntry
{
    // where each stored event type keeps its world time; frozen with the log format, like the type names themselves
    private static readonly Dictionary<string, string[]> WorldTimePaths = new(StringComparer.Ordinal)
    {
        ["claim_registered"] = ["firstReport", "publishedAt"],
        ["claim_reported"] = ["article", "publishedAt"],
        ["claim_rereported"] = ["publishedAt"],
        ["statement_recorded"] = ["statedAt"],
        ["evidence_attached"] = ["observedAt"],
        ["verdict_given"] = ["givenAt"],
        ["claim_corrected"] = ["correctedAt"],
        ["claim_retracted"] = ["retractedAt"],
    };

    public static JsonObject Object(StoredEvent e)
    {
        var data = JsonNode.Parse(e.DataJson);
        return new JsonObject
        {
            ["claimId"] = e.StreamId.ToString(),
            ["version"] = e.Version,
            ["type"] = e.Type,
            ["data"] = data,
            ["recordedAt"] = JsonSerializer.SerializeToNode(Json.Stored(e.RecordedAt.ToUniversalTime()), Json.Options),
            ["worldAt"] = WorldAt(e.Type, data)?.DeepClone(),
            ["actor"] = e.Actor,
            ["correlationId"] = e.CorrelationId,
            ["causationId"] = e.CausationId,
            ["idempotencyKey"] = e.IdempotencyKey,
        };
    }

    public static byte[] Bytes(StoredEvent e) => Jcs.Canonicalize(Object(e));

    public static byte[] LeafHash(StoredEvent e) => Merkle.LeafHash(Bytes(e));

    private static JsonNode? WorldAt(string type, JsonNode? data)
    {
        if (!WorldTimePaths.TryGetValue(type, out var path))
        {
            return null;
        }

        var node = data;
        foreach (var name in path)
        {
            node = node is JsonObject o ? o[name] : null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v : null;
    }
}
