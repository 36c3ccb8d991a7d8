using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ClaimsTracker.Audit.PublicLog;
using Npgsql;

namespace ClaimsTracker.FaultTests;

/// <summary>A checkpoint as a node published it: the signed note, its parsed body, which node served it and when.</summary>
public sealed record SeenCheckpoint(string Note, Checkpoint Body, int Port, TimeSpan At);

/// <summary>
/// The public log checked as an outsider would, with the published key and proofs over HTTP, and against the ground
/// truth: the events table read directly, each leaf recomputed from its row and the tree hashed here, by RFC 9162's
/// definition, with none of the service's tree code.
/// </summary>
public sealed class LogAudit(string connectionString)
{
    /// <summary>Every stored event in sequence order, with the leaf hash recomputed from its row: what leaf i must be.</summary>
    public async Task<List<(Guid Stream, long Version, byte[] Leaf)>> Leaves()
    {
        var rows = new List<StoredEvent>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select {StoredEvent.Columns} from claims.mt_events order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(StoredEvent.Read(reader));
        }

        return rows.Select(e => (e.StreamId, e.Version, LogEntry.LeafHash(e))).ToList();
    }

    /// <summary>How many stored events the signed head does not cover yet.</summary>
    public async Task<long> Backlog() => (await Head()).Backlog;

    /// <summary>The log's head as stored: its size, its signed checkpoint (what GET /log/checkpoint serves), and the events it does not cover yet.</summary>
    public async Task<(long Size, string? Note, long Backlog)> Head()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select coalesce(s.tree_size, 0), s.checkpoint, (select count(*) from claims.mt_events) - coalesce(s.tree_size, 0)
            from (select 1) one left join claims.log_state s on s.id = 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2));
    }

    /// <summary>MTH(D[0:n]) of RFC 9162 §2.1.1, straight from the definition.</summary>
    public static byte[] TreeHash(IReadOnlyList<byte[]> leaves, long size) => Hash(leaves, 0, size);

    public static async Task<NoteVerifier> Key(ServiceProcess node) =>
        NoteVerifier.Parse((await node.Http.GetStringAsync("/api/audit/log/key")).Trim());

    /// <summary>The node's latest checkpoint, or null while it has none or does not answer.</summary>
    public static async Task<string?> Note(ServiceProcess node, CancellationToken ct = default)
    {
        try
        {
            using var reply = await node.Http.GetAsync("/log/checkpoint", ct);
            return reply.StatusCode == HttpStatusCode.OK ? await reply.Content.ReadAsStringAsync(ct) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The checkpoint a note carries if the key signed it; null for a note the key did not sign.</summary>
    public static Checkpoint? Open(NoteVerifier key, string note) =>
        key.TryOpen(note, out var body) && Checkpoint.TryParse(body, out var checkpoint) ? checkpoint : null;

    /// <summary>Whether the service's consistency proof from <paramref name="older"/> to <paramref name="newer"/> verifies.</summary>
    public static async Task<bool> Consistent(ServiceProcess node, Checkpoint older, Checkpoint newer)
    {
        if (older.Size == newer.Size)
        {
            return older.Root.AsSpan().SequenceEqual(newer.Root);
        }

        if (older.Size == 0)
        {
            return older.Root.AsSpan().SequenceEqual(Merkle.EmptyRoot);   // RFC 9162 has no proof from the empty tree: any tree extends it
        }

        var proof = JsonNode.Parse(await node.Http.GetStringAsync($"/api/audit/log/proof/consistency?from={older.Size}&to={newer.Size}"))!;
        return Merkle.VerifyConsistency(older.Size, newer.Size, older.Root, newer.Root, Hashes(proof));
    }

    /// <summary>Whether the service's inclusion proof of leaf <paramref name="index"/> takes the recomputed leaf to the signed root.</summary>
    public static async Task<bool> Included(ServiceProcess node, long index, byte[] leaf, Checkpoint signed)
    {
        var proof = JsonNode.Parse(await node.Http.GetStringAsync($"/api/audit/log/proof/inclusion?leafIndex={index}&treeSize={signed.Size}"))!;
        return Merkle.VerifyInclusion(index, signed.Size, leaf, Hashes(proof), signed.Root);
    }

    /// <summary>The service's own audit: the report of GET /api/admin/verify.</summary>
    public static async Task<JsonNode> Verify(ServiceProcess node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/verify");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.AdminKey}");
        using var reply = await node.Http.SendAsync(request);
        var text = await reply.Content.ReadAsStringAsync();
        reply.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private static List<byte[]> Hashes(JsonNode proof) => proof["hashes"]!.AsArray().Select(h => Convert.FromBase64String((string)h!)).ToList();

    private static byte[] Hash(IReadOnlyList<byte[]> leaves, long start, long n)
    {
        if (n == 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        if (n == 1)
        {
            return leaves[(int)start];
        }

        var k = 1L << BitOperations.Log2((ulong)(n - 1));   // the largest power of two smaller than n
        return SHA256.HashData([0x01, .. Hash(leaves, start, k), .. Hash(leaves, start + k, n - k)]);
    }
}
