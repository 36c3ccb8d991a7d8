using ClaimsTracker.Infrastructure;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace ClaimsTracker.Audit;

/// <summary>
/// The seal of one event: an HMAC-SHA256 over the event's content and metadata, linked to the previous event of
/// its stream and to the previous sealed event of the whole store (the global ledger).
/// </summary>
public sealed class EventSeal
{
    public string Id { get; set; } = "";
    public Guid StreamId { get; set; }
    public long Version { get; set; }
    public long Position { get; set; }
    public string Type { get; set; } = "";
    public string StreamPrevious { get; set; } = "";
    public string LedgerPrevious { get; set; } = "";
    public string Hash { get; set; } = "";

    public static string IdOf(Guid streamId, long version) => $"{streamId:N}/{version}";
}

/// <summary>The last sealed event of the whole store, so the next append links to it.</summary>
public sealed class LedgerHead
{
    public const string Global = "global";
    public string Id { get; set; } = Global;
    public long Position { get; set; }
    public string Hash { get; set; } = ChainFormula.Genesis;
}

/// <summary>
/// What the seal covers: the stored row as written (its type name and JSON, not a re-serialisation of today's
/// classes), so an upcast older event still verifies against the seal it was given when it was appended.
/// </summary>
public sealed record SealedContent(
    Guid StreamId, long Version, string Type, DateTimeOffset RecordedAt, string DataJson, string? Actor,
    string? CorrelationId, string? CausationId, string? IdempotencyKey)
{
    public static string? IdempotencyKeyOf(IReadOnlyDictionary<string, object>? headers) =>
        headers?.TryGetValue("idempotencyKey", out var key) == true ? key?.ToString() : null;
}

public sealed class ChainOptions
{
    /// <summary>Development fallback only: production sets Audit:ChainKey to a secret of its own.</summary>
    public const string DevelopmentKey = "claims-tracker-development-chain-key";

    public string ChainKey { get; set; } = DevelopmentKey;
}

/// <summary>
/// The link formula. HMAC rather than a bare SHA-256: anyone with SQL access could recompute a bare hash over a
/// forged row; without the server's key a row written behind the application's back cannot get a valid seal.
/// </summary>
public static class ChainFormula
{
    public const string Genesis = "genesis";

    public static string Link(byte[] key, SealedContent content, long position, string streamPrevious, string ledgerPrevious)
    {
        var text = string.Join('\n',
            content.StreamId.ToString("N"), content.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            position.ToString(System.Globalization.CultureInfo.InvariantCulture), content.Type,
            Micros(content.RecordedAt).ToString(System.Globalization.CultureInfo.InvariantCulture),
            content.Actor ?? "", content.CorrelationId ?? "", content.CausationId ?? "", content.IdempotencyKey ?? "",
            streamPrevious, ledgerPrevious, Canonical(content.DataJson));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// JSON in one spelling whatever wrote it: keys sorted, no spaces, one escaping. PostgreSQL's jsonb reorders keys
    /// and respaces what the service serialised, so the seal covers the meaning, never the layout.
    /// </summary>
    public static string Canonical(string json) => Sorted(JsonNode.Parse(json))?.ToJsonString(CanonicalOptions) ?? "null";

    private static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false,
    };

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(x => Sorted(x?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };

    private static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}

/// <summary>
/// Seals every appended event inside the transaction that appends it. Writers to one claim already hold its stream
/// row; the ledger lock serialises the global link, so two commits never claim the same position.
/// </summary>
public sealed class EventSealer(byte[] key) : DocumentSessionListenerBase
{
    private const long LedgerLock = 0x436c61696d4c6467;   // "ClaimLdg"

    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var streams = session.PendingChanges.Streams().Where(s => s.Events.Count > 0).ToList();
        if (streams.Count == 0)
        {
            return;
        }

        await session.BeginTransactionAsync(token);
        await using (var command = new NpgsqlCommand("select pg_advisory_xact_lock($1)", session.Connection))
        {
            command.Parameters.AddWithValue(LedgerLock);
            await command.ExecuteNonQueryAsync(token);
        }

        var head = await session.LoadAsync<LedgerHead>(LedgerHead.Global, token) ?? new LedgerHead();
        var now = Json.Stored(DateTimeOffset.UtcNow);
        foreach (var stream in streams)
        {
            var last = await session.Query<EventSeal>().Where(s => s.StreamId == stream.Id)
                .OrderByDescending(s => s.Version).FirstOrDefaultAsync(token);
            var version = last?.Version ?? 0;
            var streamPrevious = last?.Hash ?? ChainFormula.Genesis;
            foreach (var e in stream.Events)
            {
                version++;
                e.Timestamp = e.Timestamp == default ? now : Json.Stored(e.Timestamp);
                var content = new SealedContent(stream.Id, version, e.EventTypeName, e.Timestamp, session.DocumentStore.Options.Serializer().ToJson(e.Data),
                    e.UserName ?? session.LastModifiedBy, e.CorrelationId ?? session.CorrelationId,
                    e.CausationId ?? session.CausationId,
                    SealedContent.IdempotencyKeyOf(e.Headers) ?? session.GetHeader("idempotencyKey")?.ToString());
                var position = head.Position + 1;
                var hash = ChainFormula.Link(key, content, position, streamPrevious, head.Hash);
                session.Insert(new EventSeal
                {
                    Id = EventSeal.IdOf(stream.Id, version), StreamId = stream.Id, Version = version, Position = position,
                    Type = e.EventTypeName, StreamPrevious = streamPrevious, LedgerPrevious = head.Hash, Hash = hash,
                });
                (head.Position, head.Hash, streamPrevious) = (position, hash, hash);
            }
        }

        session.Store(head);
    }
}
