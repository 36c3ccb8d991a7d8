using System.Numerics;
using System.Security.Cryptography;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>Reads stored hashes of complete subtrees: level 0 is a leaf hash.</summary>
public interface IHashReader
{
    ValueTask<byte[]> Node(int level, long index, CancellationToken ct);
}

/// <summary>The Merkle tree of RFC 9162 §2.1, built from complete-subtree nodes so a proof reads O(log n) of them.</summary>
public static class Merkle
{
    public const int HashSize = 32;

    private static readonly byte[] EmptyRootHash = SHA256.HashData([]);

    public static byte[] EmptyRoot => (byte[])EmptyRootHash.Clone();

    public static byte[] LeafHash(ReadOnlySpan<byte> entry) => PrefixedHash(0x00, entry, []);

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => PrefixedHash(0x01, left, right);

    public static ValueTask<byte[]> Root(long size, IHashReader nodes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return RangeHash(0, size, nodes, ct);
    }

    public static async ValueTask<byte[]> RangeHash(long start, long end, IHashReader nodes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        ArgumentNullException.ThrowIfNull(nodes);
        if (start == end) return EmptyRoot;
        var count = end - start;
        if (IsCompleteSubtree(start, count)) return await nodes.Node(Level(count), start >> Level(count), ct);
        var split = LargestPowerOfTwoBelow(count);
        var left = await RangeHash(start, start + split, nodes, ct);
        var right = await RangeHash(start + split, end, nodes, ct);
        return NodeHash(left, right);
    }

    public static async ValueTask<IReadOnlyList<byte[]>> InclusionProof(long index, long size, IHashReader nodes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index >= size) throw new ArgumentOutOfRangeException(nameof(index), index, $"Leaf {index} is not in a tree of size {size}.");
        ArgumentNullException.ThrowIfNull(nodes);
        var path = new List<byte[]>();
        await AppendPath(index, 0, size, path, nodes, ct);
        return path;
    }

    public static async ValueTask<IReadOnlyList<byte[]>> ConsistencyProof(long from, long to, IHashReader nodes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        if (from > to) throw new ArgumentOutOfRangeException(nameof(from), from, $"A tree of size {from} cannot be a prefix of a tree of size {to}.");
        ArgumentNullException.ThrowIfNull(nodes);
        var proof = new List<byte[]>();
        if (from == 0 || from == to) return proof;
        await AppendSubproof(from, 0, to, startsAtRoot: true, proof, nodes, ct);
        return proof;
    }

    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size || leafHash.Length != HashSize || root.Length != HashSize) return false;
        if (proof.Any(hash => hash is not { Length: HashSize })) return false;
        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    public static bool VerifyConsistency(long from, long to, ReadOnlySpan<byte> fromRoot, ReadOnlySpan<byte> toRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (from < 0 || to < from) return false;
        if (from == to)
            return proof.Count == 0 && fromRoot.SequenceEqual(toRoot) && (from > 0 || fromRoot.SequenceEqual(EmptyRootHash));
        // Like transparency-dev/merkle: a proof from the empty tree would vouch for any toRoot at all.
        if (from == 0) return false;
        if (proof.Count == 0 || fromRoot.Length != HashSize || toRoot.Length != HashSize) return false;
        if (proof.Any(hash => hash is not { Length: HashSize })) return false;

        IEnumerable<byte[]> path = BitOperations.IsPow2(from) ? proof.Prepend(fromRoot.ToArray()) : proof;
        var fn = from - 1;
        var sn = to - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        byte[]? fr = null, sr = null;
        foreach (var c in path)
        {
            if (fr is null || sr is null)
            {
                fr = sr = c;
                continue;
            }
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr is not null && sr is not null
            && CryptographicOperations.FixedTimeEquals(fr, fromRoot)
            && CryptographicOperations.FixedTimeEquals(sr, toRoot);
    }

    // PATH(m, D[start:end]) of RFC 9162 §2.1.3.1, deepest sibling first.
    private static async ValueTask AppendPath(long index, long start, long end, List<byte[]> path, IHashReader nodes, CancellationToken ct)
    {
        var count = end - start;
        if (count == 1) return;
        var split = start + LargestPowerOfTwoBelow(count);
        if (index < split)
        {
            await AppendPath(index, start, split, path, nodes, ct);
            path.Add(await RangeHash(split, end, nodes, ct));
        }
        else
        {
            await AppendPath(index, split, end, path, nodes, ct);
            path.Add(await RangeHash(start, split, nodes, ct));
        }
    }

    // SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1, where m counts the old tree's leaves from start.
    private static async ValueTask AppendSubproof(long oldSize, long start, long end, bool startsAtRoot, List<byte[]> proof, IHashReader nodes, CancellationToken ct)
    {
        var count = end - start;
        if (oldSize == count)
        {
            if (!startsAtRoot) proof.Add(await RangeHash(start, end, nodes, ct));
            return;
        }
        var half = LargestPowerOfTwoBelow(count);
        if (oldSize <= half)
        {
            await AppendSubproof(oldSize, start, start + half, startsAtRoot, proof, nodes, ct);
            proof.Add(await RangeHash(start + half, end, nodes, ct));
        }
        else
        {
            await AppendSubproof(oldSize - half, start + half, end, startsAtRoot: false, proof, nodes, ct);
            proof.Add(await RangeHash(start, start + half, nodes, ct));
        }
    }

    private static byte[] PrefixedHash(byte prefix, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var length = 1 + first.Length + second.Length;
        if (length > 1024)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData([prefix]);
            sha.AppendData(first);
            sha.AppendData(second);
            return sha.GetHashAndReset();
        }
        Span<byte> input = stackalloc byte[length];
        input[0] = prefix;
        first.CopyTo(input[1..]);
        second.CopyTo(input[(1 + first.Length)..]);
        return SHA256.HashData(input);
    }

    private static bool IsCompleteSubtree(long start, long count) =>
        BitOperations.IsPow2(count) && (start & (count - 1)) == 0;

    private static int Level(long completeSubtreeSize) => BitOperations.Log2((ulong)completeSubtreeSize);

    // The k of RFC 9162: the largest power of two smaller than count (count > 1).
    private static long LargestPowerOfTwoBelow(long count) => 1L << BitOperations.Log2((ulong)(count - 1));
}
