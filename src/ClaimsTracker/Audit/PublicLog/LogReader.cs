using System.Collections.Concurrent;
using Marten;
using Npgsql;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>The log's head as the sequencer last committed it; <see cref="Checkpoint"/> is null before the first batch.</summary>
public sealed record LogHead(long Size, long LastSequence, byte[] Root, string? Checkpoint, DateTimeOffset? SignedAt)
{
    public static readonly LogHead Empty = new(0, 0, Merkle.EmptyRoot, null, null);
}

public sealed record LogLeaf(long Leaf, long Sequence, StoredEvent? Event);

/// <summary>Reads of the log's tables for proofs, tiles and leaf numbers: each costs O(log n) rows at most.</summary>
public sealed class LogReader(IDocumentStore store)
{
    private const int CachedTiles = 8192;   // 8 KiB each at most: 64 MiB
    private readonly LogTables _tables = LogTables.Of(store.Options);
    private readonly ConcurrentDictionary<(int, long), byte[]> _tiles = new();

    // complete subtrees never change: the costly ones (16 to 128 tile entries hashed) are kept once computed
    private const int KeptNodes = 65_536;
    private readonly ConcurrentDictionary<(int, long), byte[]> _nodes = new();

    public LogTables Tables => _tables;

    public async Task<LogHead> Head(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select tree_size, last_sequence, root, checkpoint, signed_at from {_tables.State} where id = 1", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var head = await reader.ReadAsync(ct)
            ? new LogHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4))
            : LogHead.Empty;
        if (head.Size < Interlocked.Exchange(ref _largestSize, head.Size))
        {
            _tiles.Clear();   // a log never shrinks unless its store was emptied and started again
            _nodes.Clear();
        }

        return head;
    }

    private long _largestSize;

    /// <summary>A tile's stored hashes, or null; a kept copy at least <paramref name="atLeast"/> bytes long serves, as tiles only grow at their end.</summary>
    public async Task<byte[]?> Tile(NpgsqlConnection connection, int level, long index, CancellationToken ct, int atLeast = TilePath.Width * 32)
    {
        if (_tiles.TryGetValue((level, index), out var kept) && kept.Length >= atLeast)
        {
            return kept;
        }

        await using var command = new NpgsqlCommand($"select hashes from {_tables.Tiles} where level = $1 and idx = $2", connection)
        {
            Parameters = { new() { Value = level }, new() { Value = index } },
        };
        if (await command.ExecuteScalarAsync(ct) is not byte[] hashes)
        {
            return null;
        }

        if (_tiles.Count >= CachedTiles)
        {
            _tiles.Clear();
        }

        _tiles.AddOrUpdate((level, index), hashes, (_, other) => other.Length >= hashes.Length ? other : hashes);
        return hashes;
    }

    public IHashReader Nodes(NpgsqlConnection connection, long size) => new TileHashes(this, connection, size);

    public async Task<Dictionary<long, long>> LeafIndexes(NpgsqlConnection connection, IReadOnlyCollection<long> sequences, CancellationToken ct)
    {
        var found = new Dictionary<long, long>();
        if (sequences.Count == 0)
        {
            return found;
        }

        await using var command = new NpgsqlCommand($"""
            select s.seq, r.first_leaf + (s.seq - r.first_sequence)
            from unnest($1::bigint[]) as s(seq)
            cross join lateral (select first_leaf, first_sequence, count from {_tables.Runs}
                                where first_sequence <= s.seq order by first_sequence desc limit 1) r
            where s.seq < r.first_sequence + r.count
            """, connection)
        {
            Parameters = { new() { Value = sequences.ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return found;
    }

    public async Task<List<LogLeaf>> Leaves(NpgsqlConnection connection, long first, long end, CancellationToken ct)
    {
        var leaves = new List<LogLeaf>((int)Math.Min(end - first, 100_000));
        await using var command = new NpgsqlCommand($"""
            with leaves as (
              select r.first_leaf + g.i as leaf, r.first_sequence + g.i as seq
              from {_tables.Runs} r, generate_series(greatest($1 - r.first_leaf, 0), least($2 - r.first_leaf, r.count) - 1) as g(i)
              where r.first_leaf < $2 and r.first_leaf + r.count > $1)
            select l.leaf, {StoredEvent.Columns.Replace("seq_id", "l.seq", StringComparison.Ordinal)}, l.seq
            from leaves l left join {_tables.Events} e on e.seq_id = l.seq
            order by l.leaf
            """, connection)
        {
            Parameters = { new() { Value = first }, new() { Value = end } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            leaves.Add(new LogLeaf(reader.GetInt64(0), reader.GetInt64(11), reader.IsDBNull(2) ? null : StoredEvent.Read(reader, offset: 1)));
        }

        return leaves;
    }

    // keeps each tile it reads: a proof reads about 5 tiles, and the shared cache does not keep the right edge's partial ones
    private sealed class TileHashes(LogReader log, NpgsqlConnection connection, long size) : IHashReader
    {
        private readonly Dictionary<(int, long), byte[]?> _read = [];

        public async ValueTask<byte[]> Node(int level, long index, CancellationToken ct)
        {
            if ((index + 1) << level > size)
            {
                throw new InvalidOperationException($"node {level}/{index} is not complete in a tree of {size}");
            }

            var tileLevel = level / TilePath.Height;
            var span = 1 << (level % TilePath.Height);
            var costly = span >= 16;
            if (costly && log._nodes.TryGetValue((level, index), out var kept))
            {
                return kept;
            }

            var first = index * span;
            var key = (tileLevel, first / TilePath.Width);
            if (!_read.TryGetValue(key, out var tile))
            {
                // the tile as wide as this tree has it: any kept copy at least that wide serves
                var width = Math.Min(TilePath.Width, (size >> (TilePath.Height * tileLevel)) - key.Item2 * TilePath.Width);
                tile = await log.Tile(connection, key.Item1, key.Item2, ct, atLeast: (int)width * 32);
                _read[key] = tile;
            }

            var offset = (int)(first % TilePath.Width);
            if (tile is null || tile.Length < (offset + span) * 32)
            {
                throw new InvalidOperationException($"tile {tileLevel}/{first / TilePath.Width} lacks node {level}/{index}");
            }

            var node = TilePath.NodeFromTile(tile, offset, span);
            if (costly)
            {
                if (log._nodes.Count >= KeptNodes)
                {
                    log._nodes.Clear();
                }

                log._nodes[(level, index)] = node;
            }

            return node;
        }
    }
}
