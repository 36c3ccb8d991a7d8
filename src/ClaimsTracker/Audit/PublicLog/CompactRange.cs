using System.Numerics;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>The right edge of a growing Merkle tree: enough to append leaves and compute the root without the rest.</summary>
public sealed class CompactRange
{
    private readonly List<byte[]> peaks;

    public CompactRange() => peaks = [];

    private CompactRange(long size, List<byte[]> peaks)
    {
        Size = size;
        this.peaks = peaks;
    }

    public static CompactRange FromNodes(long size, IReadOnlyList<byte[]> peaks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(peaks);
        var expected = BitOperations.PopCount((ulong)size);
        if (peaks.Count != expected)
            throw new ArgumentException($"A tree of size {size} has {expected} peaks, but {peaks.Count} were given.", nameof(peaks));
        if (peaks.Any(peak => peak is not { Length: Merkle.HashSize }))
            throw new ArgumentException($"Every peak must be a {Merkle.HashSize}-byte hash.", nameof(peaks));
        return new CompactRange(size, peaks.Select(peak => (byte[])peak.Clone()).ToList());
    }

    public long Size { get; private set; }

    public IReadOnlyList<byte[]> Peaks => peaks.AsReadOnly();

    public void Append(byte[] leafHash, Action<int, long, byte[]>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != Merkle.HashSize)
            throw new ArgumentException($"A leaf hash has {Merkle.HashSize} bytes, not {leafHash.Length}.", nameof(leafHash));
        if (Size == long.MaxValue) throw new InvalidOperationException("The tree is full.");

        var hash = (byte[])leafHash.Clone();
        var level = 0;
        var index = Size;
        completed?.Invoke(level, index, hash);
        // Each set low bit of the old size is a left sibling waiting for exactly this right edge.
        while ((index & 1) == 1)
        {
            var left = peaks[^1];
            peaks.RemoveAt(peaks.Count - 1);
            hash = Merkle.NodeHash(left, hash);
            level++;
            index >>= 1;
            completed?.Invoke(level, index, hash);
        }
        peaks.Add(hash);
        Size++;
    }

    public byte[] Root()
    {
        if (peaks.Count == 0) return Merkle.EmptyRoot;
        var root = peaks[^1];
        for (var i = peaks.Count - 2; i >= 0; i--) root = Merkle.NodeHash(peaks[i], root);
        return (byte[])root.Clone();
    }
}
