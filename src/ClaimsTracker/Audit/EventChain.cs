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

    public static string Link(byte[] key, SealedContent content, long position, string streamPrevious, string ledgerPrevious) =>
        LinkCanonical(key, content with { DataJson = Canonical(content.DataJson) }, position, streamPrevious, ledgerPrevious);

    /// <summary>The link over content whose JSON is already canonical (<see cref="Canonical"/>).</summary>
    public static string LinkCanonical(byte[] key, SealedContent content, long position, string streamPrevious, string ledgerPrevious)
    {
        var text = string.Join('\n',
            content.StreamId.ToString("N"), content.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            position.ToString(System.Globalization.CultureInfo.InvariantCulture), content.Type,
            Micros(content.RecordedAt).ToString(System.Globalization.CultureInfo.InvariantCulture),
            content.Actor ?? "", content.CorrelationId ?? "", content.CausationId ?? "", content.IdempotencyKey ?? "",
            streamPrevious, ledgerPrevious, content.DataJson);
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
/// <remarks>
/// The ledger lock is held from the moment it is taken until the commit, so it is taken as late as possible: not
/// here, before Marten has written anything, but by the last statements of Marten's own batch for the write
/// (<see cref="LedgerLockOperation"/>: take the lock, read the head and the previous seal of each stream), after
/// the events and documents. Under the lock a write then only computes the links, inserts the seals and moves the
/// head in one round trip (<see cref="LedgerLink"/>, just before the commit), and commits: writes to different
/// claims overlap in everything else. Everything that does not depend on the head (the canonical JSON of each
/// event, its metadata) is prepared here, outside the lock.
/// </remarks>
public sealed class EventSealer(byte[] key) : DocumentSessionListenerBase
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDocumentSession, LedgerLink> Links = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDocumentSession, DeferredSeals> Deferred = new();

    /// <summary>The session's events are kept from its saves and sealed once, in the caller's order (<see cref="DeferredSeals"/>).</summary>
    internal static DeferredSeals Defer(IDocumentSession session) => Deferred.GetValue(session, _ => new DeferredSeals());

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var streams = session.PendingChanges.Streams().Where(s => s.Events.Count > 0).ToList();
        if (streams.Count == 0)
        {
            if (Links.TryGetValue(session, out var idle))
            {
                idle.Pending = [];
            }

            return Task.CompletedTask;
        }

        var now = Json.Stored(DateTimeOffset.UtcNow);
        var serializer = session.DocumentStore.Options.Serializer();
        var pending = new List<PendingSeal>();
        foreach (var stream in streams)
        {
            foreach (var e in stream.Events)
            {
                e.Timestamp = e.Timestamp == default ? now : Json.Stored(e.Timestamp);
                pending.Add(new PendingSeal(stream.Id, e, ChainFormula.Canonical(serializer.ToJson(e.Data)),
                    e.UserName ?? session.LastModifiedBy, e.CorrelationId ?? session.CorrelationId,
                    e.CausationId ?? session.CausationId,
                    SealedContent.IdempotencyKeyOf(e.Headers) ?? session.GetHeader("idempotencyKey")?.ToString()));
            }
        }

        if (Deferred.TryGetValue(session, out var deferred))
        {
            deferred.Keep(key, pending);
            return Task.CompletedTask;
        }

        var link = Links.GetValue(session, s =>
        {
            var created = new LedgerLink(key, s.DocumentStore.Options);
            ((ITransactionParticipantRegistrar)s).AddTransactionParticipant(created);
            return created;
        });
        link.Pending = pending;
        // the last statements of Marten's own batch take the lock and read the head: no round trip of their own
        session.QueueOperation(link.LockAndRead());
        return Task.CompletedTask;
    }
}

/// <summary>
/// A session's events stored over several saves and sealed together before the commit, in an order of the caller's:
/// the import keeps the export's ledger order, which concurrent writes may have made differ from its sequence order.
/// </summary>
internal sealed class DeferredSeals
{
    private readonly List<PendingSeal> _pending = [];
    private byte[]? _key;

    internal void Keep(byte[] key, IEnumerable<PendingSeal> pending)
    {
        _key = key;
        _pending.AddRange(pending);
    }

    /// <summary>Links the kept events under the ledger lock, ordered by <paramref name="rank"/> of each (stream, version).</summary>
    public async Task Seal(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyStoreOptions options,
        Func<Guid, long, long> rank, CancellationToken token)
    {
        if (_key is null)
        {
            return;
        }

        // one round trip per chunk, as a large write has; each reads the head and the seals the chunk before left
        var link = new LedgerLink(_key, options);
        foreach (var chunk in _pending.OrderBy(p => rank(p.StreamId, p.Event.Version)).Chunk(1_000))
        {
            link.Pending = chunk;
            await link.BeforeCommitAsync(connection, transaction, token);
        }
    }
}

/// <summary>One appended event, ready to be sealed once its version and the ledger head are known.</summary>
internal sealed record PendingSeal(
    Guid StreamId, IEvent Event, string CanonicalData, string? Actor, string? CorrelationId, string? CausationId,
    string? IdempotencyKey);

/// <summary>
/// Links one write's events into the stream chains and the global ledger, inside the write's transaction after all
/// its other statements (Marten calls it just before the commit, and again on a fresh transaction if it retries one).
/// </summary>
internal sealed class LedgerLink(byte[] key, IReadOnlyStoreOptions options) : ITransactionParticipant
{
    internal const long LedgerLock = 0x436c61696d4c6467;   // "ClaimLdg"

    private readonly string _seals = options.Schema.For<EventSeal>();
    private readonly string _head = options.Schema.For<LedgerHead>();
    private readonly ISerializer _serializer = options.Serializer();

    private readonly string _streams = $"{options.Events.DatabaseSchemaName}.mt_streams";
    private IReadOnlyList<PendingSeal> _pending = [];
    private LedgerRead? _read;

    public IReadOnlyList<PendingSeal> Pending
    {
        get => _pending;
        set => (_pending, _read) = (value, null);
    }

    /// <summary>What the lock operation read in this attempt of the batch: the head and the streams' previous seals.</summary>
    internal sealed record LedgerRead(LedgerHead Head, Dictionary<string, string> Previous);

    /// <summary>
    /// Statements appended to Marten's batch after every other operation of the write: take the ledger lock, read
    /// the head, and read the previous seal of each stream (at the stream's version as this batch leaves it, less the
    /// events it appends).
    /// </summary>
    public LedgerLockOperation LockAndRead()
    {
        var counts = _pending.GroupBy(p => p.StreamId).ToArray();
        return new LedgerLockOperation(this, counts.Select(g => g.Key).ToArray(), counts.Select(g => (long)g.Count()).ToArray());
    }

    internal void Configure(Weasel.Postgresql.ICommandBuilder builder, Guid[] streams, long[] counts)
    {
        builder.Append("select pg_advisory_xact_lock(");
        builder.AppendParameter(LedgerLock);
        builder.Append(")");
        builder.StartNewCommand();
        builder.Append($"select (data ->> 'position')::bigint, data ->> 'hash' from {_head} where id = ");
        builder.AppendParameter(LedgerHead.Global);
        builder.StartNewCommand();
        builder.Append($"""
            select id, data ->> 'hash' from {_seals} where id = any(array(
              select replace(s.id::text, '-', '') || '/' || (s.version - x.n)
              from {_streams} s join unnest(
            """);
        builder.AppendParameter(streams);
        builder.Append("::uuid[], ");
        builder.AppendParameter(counts);
        builder.Append("::bigint[]) as x(id, n) on s.id = x.id))");
    }

    internal async Task Read(System.Data.Common.DbDataReader reader, CancellationToken token)
    {
        var (head, previous) = await HeadAndPrevious(reader, token);
        _read = new LedgerRead(head, previous);
    }

    /// <summary>After the lock's result: the ledger head's row, then the previous seal of each stream.</summary>
    private static async Task<(LedgerHead, Dictionary<string, string>)> HeadAndPrevious(
        System.Data.Common.DbDataReader reader, CancellationToken token)
    {
        var head = new LedgerHead();
        var previous = new Dictionary<string, string>();
        await reader.NextResultAsync(token);
        if (await reader.ReadAsync(token))
        {
            (head.Position, head.Hash) = (reader.GetInt64(0), reader.GetString(1));
        }

        await reader.NextResultAsync(token);
        while (await reader.ReadAsync(token))
        {
            previous[reader.GetString(0)] = reader.GetString(1);
        }

        return (head, previous);
    }

    public async Task BeforeCommitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken token)
    {
        var pending = Pending;
        if (pending.Count == 0)
        {
            return;
        }

        // the lock operation ran in Marten's batch and read the head: link now, and commit
        var (head, previous) = _read is { } read
            ? (new LedgerHead { Position = read.Head.Position, Hash = read.Head.Hash }, read.Previous)
            : await LockAndReadNow(connection, transaction, pending, token);
        await Link(connection, transaction, pending, head, previous, token);
    }

    /// <summary>The same lock and reads in a round trip of their own, should Marten's batch not have carried them.</summary>
    private async Task<(LedgerHead, Dictionary<string, string>)> LockAndReadNow(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingSeal> pending, CancellationToken token)
    {
        // the events' versions are known now: Marten's append has run and reported them
        var previousIds = pending.GroupBy(p => p.StreamId)
            .Select(g => (Stream: g.Key, Version: g.Min(p => p.Event.Version) - 1))
            .Where(x => x.Version > 0)
            .Select(x => EventSeal.IdOf(x.Stream, x.Version))
            .ToArray();

        await using (var read = new NpgsqlBatch(connection, transaction))
        {
            read.BatchCommands.Add(new NpgsqlBatchCommand("select pg_advisory_xact_lock($1)") { Parameters = { new() { Value = LedgerLock } } });
            read.BatchCommands.Add(new NpgsqlBatchCommand($"select (data ->> 'position')::bigint, data ->> 'hash' from {_head} where id = $1")
            {
                Parameters = { new() { Value = LedgerHead.Global } },
            });
            read.BatchCommands.Add(new NpgsqlBatchCommand($"select id, data ->> 'hash' from {_seals} where id = any($1)")
            {
                Parameters = { new() { Value = previousIds } },
            });
            await using var reader = await read.ExecuteReaderAsync(token);
            return await HeadAndPrevious(reader, token);
        }
    }

    private async Task Link(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingSeal> pending,
        LedgerHead head, Dictionary<string, string> previous, CancellationToken token)
    {
        var seals = new List<EventSeal>(pending.Count);
        var streamHeads = new Dictionary<Guid, (long Version, string Hash)>();
        foreach (var p in pending)
        {
            var version = p.Event.Version;
            var streamPrevious = streamHeads.TryGetValue(p.StreamId, out var last) && last.Version == version - 1
                ? last.Hash
                : version == 1 ? ChainFormula.Genesis : previous.GetValueOrDefault(EventSeal.IdOf(p.StreamId, version - 1))
                    ?? throw new InvalidOperationException($"stream {p.StreamId} has no seal for version {version - 1}: cannot chain version {version}");
            var content = new SealedContent(p.StreamId, version, p.Event.EventTypeName, p.Event.Timestamp, p.CanonicalData,
                p.Actor, p.CorrelationId, p.CausationId, p.IdempotencyKey);
            var position = head.Position + 1;
            var hash = ChainFormula.LinkCanonical(key, content, position, streamPrevious, head.Hash);
            seals.Add(new EventSeal
            {
                Id = EventSeal.IdOf(p.StreamId, version), StreamId = p.StreamId, Version = version, Position = position,
                Type = p.Event.EventTypeName, StreamPrevious = streamPrevious, LedgerPrevious = head.Hash, Hash = hash,
            });
            (head.Position, head.Hash) = (position, hash);
            streamHeads[p.StreamId] = (version, hash);
        }

        await using var write = new NpgsqlBatch(connection, transaction);
        write.BatchCommands.Add(new NpgsqlBatchCommand($"""
            insert into {_seals} (id, data, mt_version, mt_dotnet_type, mt_last_modified)
            select id, data, $3, $4, transaction_timestamp() from unnest($1::varchar[], $2::jsonb[]) as s(id, data)
            """)
        {
            Parameters =
            {
                new() { Value = seals.Select(s => s.Id).ToArray() },
                new() { Value = seals.Select(s => _serializer.ToJson(s)).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb },
                new() { Value = Guid.CreateVersion7() },
                new() { Value = typeof(EventSeal).FullName },
            },
        });
        write.BatchCommands.Add(new NpgsqlBatchCommand($"""
            insert into {_head} (id, data, mt_version, mt_dotnet_type, mt_last_modified)
            values ($1, $2, $3, $4, transaction_timestamp())
            on conflict (id) do update set data = excluded.data, mt_version = excluded.mt_version, mt_last_modified = excluded.mt_last_modified
            """)
        {
            Parameters =
            {
                new() { Value = LedgerHead.Global },
                new() { Value = _serializer.ToJson(head), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb },
                new() { Value = Guid.CreateVersion7() },
                new() { Value = typeof(LedgerHead).FullName },
            },
        });
        await write.ExecuteNonQueryAsync(token);
    }
}

/// <summary>The ledger lock and reads, as the last operation of Marten's batch for a write (see <see cref="LedgerLink"/>).</summary>
internal sealed class LedgerLockOperation(LedgerLink link, Guid[] streams, long[] counts) : Marten.Internal.Operations.IStorageOperation
{
    public Type DocumentType => typeof(LedgerHead);

    public void ConfigureCommand(Weasel.Postgresql.ICommandBuilder builder, Weasel.Storage.IStorageSession session) =>
        link.Configure(builder, streams, counts);

    public Task PostprocessAsync(System.Data.Common.DbDataReader reader, IList<Exception> exceptions, CancellationToken token) =>
        link.Read(reader, token);

    public Weasel.Core.OperationRole Role() => Weasel.Core.OperationRole.Other;
}
