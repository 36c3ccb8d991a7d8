using Npgsql;

namespace ClaimsTracker.Audit.PublicLog;

public sealed record LeafRun(long FirstLeaf, long FirstSequence, long Count);

// the tree's right edge, partial tiles and last run of leaves, so a batch appends reading nothing but the new events
internal sealed class TreeEdge
{
    private readonly CompactRange _range;
    private readonly Dictionary<int, (long Index, List<byte[]> Hashes)> _partial;
    private readonly Dictionary<(int Level, long Index), List<byte[]>> _changedTiles = [];
    private readonly List<LeafRun> _changedRuns = [];
    private LeafRun? _lastRun;

    private TreeEdge(CompactRange range, Dictionary<int, (long, List<byte[]>)> partial, LeafRun? lastRun, long lastSequence)
    {
        (_range, _partial, _lastRun, LastSequence) = (range, partial, lastRun, lastSequence);
    }

    public long Size => _range.Size;
    public long LastSequence { get; set; }

    public static async Task<TreeEdge> Load(NpgsqlConnection connection, LogReader log, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand(
            $"insert into {log.Tables.State} (id, tree_size, last_sequence, root) values (1, 0, 0, $1) on conflict (id) do nothing", connection)
        {
            Parameters = { new() { Value = Merkle.EmptyRoot } },
        })
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        var head = await log.Head(connection, ct);
        var nodes = log.Nodes(connection, head.Size);
        var peaks = new List<byte[]>();
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((head.Size & (1L << level)) != 0)
            {
                peaks.Add(await nodes.Node(level, start >> level, ct));
                start += 1L << level;
            }
        }

        var partial = new Dictionary<int, (long, List<byte[]>)>();
        for (var tileLevel = 0; head.Size >> (TilePath.Height * tileLevel) > 0; tileLevel++)
        {
            var count = head.Size >> (TilePath.Height * tileLevel);
            var width = (int)(count % TilePath.Width);
            if (width > 0)
            {
                var tile = await log.Tile(connection, tileLevel, count / TilePath.Width, ct)
                    ?? throw new InvalidOperationException($"the log's partial tile {tileLevel}/{count / TilePath.Width} is missing");
                partial[tileLevel] = (count / TilePath.Width, Enumerable.Range(0, width).Select(i => tile[(i * 32)..((i + 1) * 32)]).ToList());
            }
        }

        await using var last = new NpgsqlCommand(
            $"select first_leaf, first_sequence, count from {log.Tables.Runs} order by first_leaf desc limit 1", connection);
        await using var reader = await last.ExecuteReaderAsync(ct);
        var run = await reader.ReadAsync(ct) ? new LeafRun(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
        var range = CompactRange.FromNodes(head.Size, peaks);
        if (!range.Root().AsSpan().SequenceEqual(head.Root))
        {
            throw new InvalidOperationException($"the log's tiles do not give the stored root at size {head.Size}");
        }

        return new TreeEdge(range, partial, run, head.LastSequence);
    }

    public void Append(byte[] leafHash, long sequence)
    {
        var leaf = _range.Size;
        _range.Append(leafHash, Completed);
        _lastRun = _lastRun is { } run && run.FirstLeaf + run.Count == leaf && run.FirstSequence + run.Count == sequence
            ? run with { Count = run.Count + 1 }
            : new LeafRun(leaf, sequence, 1);
        if (_changedRuns.Count > 0 && _changedRuns[^1].FirstLeaf == _lastRun.FirstLeaf)
        {
            _changedRuns[^1] = _lastRun;
        }
        else
        {
            _changedRuns.Add(_lastRun);
        }
    }

    public byte[] Root() => _range.Root();

    public (List<(int Level, long Index, byte[] Hashes)> Tiles, List<LeafRun> Runs) TakeChanges()
    {
        var tiles = _changedTiles.Select(t => (t.Key.Level, t.Key.Index, t.Value.SelectMany(h => h).ToArray())).ToList();
        var runs = _changedRuns.ToList();
        _changedTiles.Clear();
        _changedRuns.Clear();
        return (tiles, runs);
    }

    private void Completed(int level, long index, byte[] hash)
    {
        if (level % TilePath.Height != 0)
        {
            return;
        }

        var tileLevel = level / TilePath.Height;
        var tileIndex = index / TilePath.Width;
        if (!_partial.TryGetValue(tileLevel, out var tile) || tile.Index != tileIndex)
        {
            tile = (tileIndex, new List<byte[]>(TilePath.Width));
            _partial[tileLevel] = tile;
        }

        if (tile.Hashes.Count != index % TilePath.Width)
        {
            throw new InvalidOperationException($"tile {tileLevel}/{tileIndex} has {tile.Hashes.Count} hashes, not {index % TilePath.Width}");
        }

        tile.Hashes.Add(hash);
        _changedTiles[(tileLevel, tileIndex)] = tile.Hashes;
    }
}
