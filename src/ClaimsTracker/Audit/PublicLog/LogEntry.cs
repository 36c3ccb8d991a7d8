using System.Globalization;
using System.Text;
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

    public static StoredEvent Read(NpgsqlDataReader reader, int offset = 0) => new(
        reader.GetInt64(offset), reader.GetGuid(offset + 1), reader.GetInt64(offset + 2), reader.GetString(offset + 3),
        reader.GetFieldValue<DateTimeOffset>(offset + 4), reader.GetString(offset + 5), Text(reader, offset + 6),
        Text(reader, offset + 7), Text(reader, offset + 8), Text(reader, offset + 9));

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}

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

    public static JsonObject Object(StoredEvent e) => JsonNode.Parse(Bytes(e))!.AsObject();

    /// <summary>The entry's JCS bytes in one pass, the stored data parsed once: the sequencer hashes every event with it.</summary>
    public static byte[] Bytes(StoredEvent e)
    {
        using var data = JsonDocument.Parse(e.DataJson);
        var text = new StringBuilder(e.DataJson.Length + 512);
        text.Append("{\"actor\":");
        Text(e.Actor, text);
        text.Append(",\"causationId\":");
        Text(e.CausationId, text);
        text.Append(",\"claimId\":");
        Jcs.WriteString(e.StreamId.ToString(), text);
        text.Append(",\"correlationId\":");
        Text(e.CorrelationId, text);
        text.Append(",\"data\":");
        Jcs.Write(data.RootElement, text);
        text.Append(",\"idempotencyKey\":");
        Text(e.IdempotencyKey, text);
        text.Append(",\"recordedAt\":");
        Jcs.WriteString(Json.Stored(e.RecordedAt.ToUniversalTime()).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture), text);
        text.Append(",\"type\":");
        Jcs.WriteString(e.Type, text);
        text.Append(",\"version\":").Append(e.Version.ToString(CultureInfo.InvariantCulture));
        text.Append(",\"worldAt\":");
        Text(WorldAt(e.Type, data.RootElement), text);
        text.Append('}');
        return Jcs.StrictUtf8.GetBytes(text.ToString());
    }

    public static byte[] LeafHash(StoredEvent e) => Merkle.LeafHash(Bytes(e));

    private static void Text(string? value, StringBuilder text)
    {
        if (value is null)
        {
            text.Append("null");
        }
        else
        {
            Jcs.WriteString(value, text);
        }
    }

    private static string? WorldAt(string type, JsonElement data)
    {
        if (!WorldTimePaths.TryGetValue(type, out var path))
        {
            return null;
        }

        var node = data;
        foreach (var name in path)
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node))
            {
                return null;
            }
        }

        return node.ValueKind == JsonValueKind.String ? node.GetString() : null;
    }
}
