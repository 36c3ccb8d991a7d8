using System.Text;
using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

/// <summary>A tree held in memory: its complete-subtree nodes built level by level from the leaf hashes, and the
/// RFC 9162 definitions (MTH, PATH, PROOF) applied literally, memoised, as the reference to compare with.</summary>
internal sealed class InMemoryTree
{
    private readonly List<byte[][]> levels = [];
    private readonly Dictionary<(long Start, long End), byte[]> rangeHashes = [];

    public InMemoryTree(IReadOnlyList<byte[]> entries)
    {
        Entries = entries;
        levels.Add(entries.Select(entry => Merkle.LeafHash(entry)).ToArray());
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            levels.Add(Enumerable.Range(0, below.Length / 2).Select(i => Merkle.NodeHash(below[2 * i], below[2 * i + 1])).ToArray());
        }
    }

    public static InMemoryTree WithGeneratedEntries(int count) =>
        new(Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes($"entry {i}")).ToList());

    public IReadOnlyList<byte[]> Entries { get; }

    public byte[] LeafHash(long index) => levels[0][index];

    public byte[] Node(int level, long index) => levels[level][index];

    /// <summary>Every complete node of a tree of the given size.</summary>
    public IEnumerable<(int Level, long Index)> CompleteNodes(long size)
    {
        for (var level = 0; level < levels.Count; level++)
        {
            for (long index = 0; (index + 1) << level <= size; index++) yield return (level, index);
        }
    }

    public Reader ReaderFor(long size) => new(this, size);

    public byte[] Mth(long start, long end)
    {
        if (rangeHashes.TryGetValue((start, end), out var cached)) return cached;
        var count = end - start;
        var hash = count switch
        {
            0 => Merkle.EmptyRoot,
            1 => Merkle.LeafHash(Entries[(int)start]),
            _ => Merkle.NodeHash(Mth(start, start + SplitPoint(count)), Mth(start + SplitPoint(count), end)),
        };
        rangeHashes[(start, end)] = hash;
        return hash;
    }

    public List<byte[]> Path(long index, long start, long end)
    {
        var count = end - start;
        if (count == 1) return [];
        var k = SplitPoint(count);
        return index - start < k
            ? [.. Path(index, start, start + k), Mth(start + k, end)]
            : [.. Path(index, start + k, end), Mth(start, start + k)];
    }

    public List<byte[]> Proof(long from, long to) => from == 0 || from == to ? [] : Subproof(from, 0, to, true);

    private List<byte[]> Subproof(long m, long start, long end, bool b)
    {
        var count = end - start;
        if (m == count) return b ? [] : [Mth(start, end)];
        var k = SplitPoint(count);
        return m <= k
            ? [.. Subproof(m, start, start + k, b), Mth(start + k, end)]
            : [.. Subproof(m - k, start + k, end, false), Mth(start, start + k)];
    }

    private static long SplitPoint(long count)
    {
        long k = 1;
        while (k * 2 < count) k *= 2;
        return k;
    }

    /// <summary>The nodes a tree of one size has; asking for any other fails the test, and reads are counted.</summary>
    public sealed class Reader(InMemoryTree tree, long size) : IHashReader
    {
        public int Reads { get; private set; }

        public List<(int Level, long Index)> Requested { get; } = [];

        public ValueTask<byte[]> Node(int level, long index, CancellationToken ct)
        {
            if (level < 0 || index < 0 || (index + 1) << level > size)
                throw new InvalidOperationException($"Node ({level}, {index}) is not a complete subtree of a tree of size {size}.");
            Reads++;
            Requested.Add((level, index));
            return ValueTask.FromResult(tree.Node(level, index));
        }
    }
}
