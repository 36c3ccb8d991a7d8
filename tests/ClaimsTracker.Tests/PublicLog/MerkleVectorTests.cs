using System.Text;
using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class MerkleVectorTests
{
    // Leaves, node hashes and roots: transparency-dev/merkle testonly/constants.go
    private static readonly byte[][] LeafInputs =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[][] NodeHashes =
    [
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ],
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
        [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
    ];

    private static readonly string[] RootsBySize =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static readonly byte[] SomeHash = Hex("abacaba000000000000000000000000000000000000000000060061e00123456");

    // Inclusion proofs: transparency-dev/merkle cmd/proofgen/main.go (its leaf indexes there count from 1)
    public static TheoryData<long, long, string[]> InclusionVectors => new()
    {
        { 0, 1, [] },
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
    };

    // Consistency proofs: transparency-dev/merkle cmd/proofgen/main.go
    public static TheoryData<long, long, string[]> ConsistencyVectors => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    private static readonly InMemoryTree Tree = new(LeafInputs);

    [Fact]
    public void leaf_and_node_hashes_match_the_published_eight_leaf_tree()
    {
        for (var level = 0; level < NodeHashes.Length; level++)
        {
            for (var index = 0; index < NodeHashes[level].Length; index++)
                Tree.Node(level, index).ShouldBe(Hex(NodeHashes[level][index]), $"node ({level}, {index})");
        }
        Merkle.EmptyRoot.ShouldBe(Hex(RootsBySize[0]));
    }

    [Fact]
    public async Task roots_of_every_prefix_match_the_published_roots()
    {
        for (var size = 0; size <= 8; size++)
        {
            (await Merkle.Root(size, Tree.ReaderFor(size), CancellationToken.None)).ShouldBe(Hex(RootsBySize[size]), $"size {size}");
            var range = new CompactRange();
            foreach (var entry in LeafInputs.Take(size)) range.Append(Merkle.LeafHash(entry));
            range.Root().ShouldBe(Hex(RootsBySize[size]), $"compact range of size {size}");
        }
    }

    [Fact]
    public void compact_ranges_hold_the_published_peaks()
    {
        // transparency-dev/merkle testonly/constants.go CompactTrees()
        (int Level, int Index)[][] expectedPeaks =
        [
            [], [(0, 0)], [(1, 0)], [(1, 0), (0, 2)], [(2, 0)], [(2, 0), (0, 4)], [(2, 0), (1, 2)], [(2, 0), (1, 2), (0, 6)], [(3, 0)],
        ];
        var range = new CompactRange();
        for (var size = 0; size <= 8; size++)
        {
            range.Peaks.Select(hash => Convert.ToHexStringLower(hash)).ShouldBe(expectedPeaks[size].Select(peak => NodeHashes[peak.Level][peak.Index]), $"size {size}");
            if (size < 8) range.Append(Merkle.LeafHash(LeafInputs[size]));
        }
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public async Task inclusion_proofs_match_the_published_vectors(long index, long size, string[] expected)
    {
        var proof = await Merkle.InclusionProof(index, size, Tree.ReaderFor(size), CancellationToken.None);

        proof.Select(hash => Convert.ToHexStringLower(hash)).ShouldBe(expected);
        Merkle.VerifyInclusion(index, size, Tree.LeafHash(index), proof, Hex(RootsBySize[size])).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void inclusion_proofs_altered_as_the_published_probes_alter_them_fail(long index, long size, string[] expected)
    {
        var proof = expected.Select(Hex).ToList();
        var root = Hex(RootsBySize[size]);
        var leaf = Tree.LeafHash(index);
        var probes = new List<(string What, long Index, long Size, byte[] Leaf, IReadOnlyList<byte[]> Proof, byte[] Root)>
        {
            ("index - 1", index - 1, size, leaf, proof, root),
            ("index + 1", index + 1, size, leaf, proof, root),
            ("index ^ 2", index ^ 2, size, leaf, proof, root),
            ("size * 2", index, size * 2, leaf, proof, root),
            ("size / 2", index, size / 2, leaf, proof, root),
            ("wrong leaf", index, size, Encoding.ASCII.GetBytes("WrongLeaf"), proof, root),
            ("empty root", index, size, leaf, proof, Merkle.EmptyRoot),
            ("random root", index, size, leaf, proof, SomeHash),
            ("trailing garbage", index, size, leaf, [.. proof, []], root),
            ("trailing root", index, size, leaf, [.. proof, root], root),
            ("preceding garbage", index, size, leaf, [[], .. proof], root),
            ("preceding root", index, size, leaf, [root, .. proof], root),
        };
        for (var i = 0; i < proof.Count; i++) probes.Add(($"bit flipped in hash {i}", index, size, leaf, WithFlippedBit(proof, i, 8), root));
        if (proof.Count > 0) probes.Add(("removed hash", index, size, leaf, proof[..^1], root));
        if (proof.Count > 1) probes.Add(("inserted hash", index, size, leaf, [proof[0], SomeHash, .. proof[1..]], root));

        foreach (var probe in probes)
            Merkle.VerifyInclusion(probe.Index, probe.Size, probe.Leaf, probe.Proof, probe.Root).ShouldBeFalse(probe.What);
    }

    [Fact]
    public void inclusion_in_an_empty_tree_or_with_hashes_of_the_wrong_length_fails()
    {
        // transparency-dev/merkle testdata/inclusion/additional and single-entry
        var leafAndRoot = Merkle.LeafHash("data"u8);
        foreach (var (index, size) in new (long, long)[] { (0, 0), (0, 1), (1, 0), (2, 1) })
        {
            Merkle.VerifyInclusion(index, size, SomeHash, [], Merkle.EmptyRoot).ShouldBeFalse($"{index} of {size}");
            Merkle.VerifyInclusion(index, size, [], [], Merkle.EmptyRoot).ShouldBeFalse($"{index} of {size}, empty leaf");
        }
        Merkle.VerifyInclusion(0, 1, leafAndRoot, [], leafAndRoot).ShouldBeTrue();
        Merkle.VerifyInclusion(0, 1, [], [], leafAndRoot).ShouldBeFalse();
        Merkle.VerifyInclusion(0, 1, leafAndRoot, [], []).ShouldBeFalse();
        Merkle.VerifyInclusion(0, 1, [], [], []).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public async Task consistency_proofs_match_the_published_vectors(long from, long to, string[] expected)
    {
        var proof = await Merkle.ConsistencyProof(from, to, Tree.ReaderFor(to), CancellationToken.None);

        proof.Select(hash => Convert.ToHexStringLower(hash)).ShouldBe(expected);
        Merkle.VerifyConsistency(from, to, Hex(RootsBySize[from]), Hex(RootsBySize[to]), proof).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void consistency_proofs_altered_as_the_published_probes_alter_them_fail(long from, long to, string[] expected)
    {
        var proof = expected.Select(Hex).ToList();
        if (proof.Count == 0) return;
        var (fromRoot, toRoot) = (Hex(RootsBySize[from]), Hex(RootsBySize[to]));
        var wrongRoot = Encoding.ASCII.GetBytes("WrongRoot");
        var probes = new List<(string What, long From, long To, byte[] FromRoot, byte[] ToRoot, IReadOnlyList<byte[]> Proof)>
        {
            ("from - 1", from - 1, to, fromRoot, toRoot, proof),
            ("from + 1", from + 1, to, fromRoot, toRoot, proof),
            ("from ^ 2", from ^ 2, to, fromRoot, toRoot, proof),
            ("to * 2", from, to * 2, fromRoot, toRoot, proof),
            ("to / 2", from, to / 2, fromRoot, toRoot, proof),
            ("wrong from root", from, to, wrongRoot, toRoot, proof),
            ("wrong to root", from, to, fromRoot, wrongRoot, proof),
            ("swapped roots", from, to, toRoot, fromRoot, proof),
            ("empty proof", from, to, fromRoot, toRoot, []),
            ("trailing garbage", from, to, fromRoot, toRoot, [.. proof, []]),
            ("trailing from root", from, to, fromRoot, toRoot, [.. proof, fromRoot]),
            ("trailing to root", from, to, fromRoot, toRoot, [.. proof, toRoot]),
            ("preceding garbage", from, to, fromRoot, toRoot, [[], .. proof]),
            ("preceding from root", from, to, fromRoot, toRoot, [fromRoot, .. proof]),
            ("preceding to root", from, to, fromRoot, toRoot, [toRoot, .. proof]),
            ("preceding first hash", from, to, fromRoot, toRoot, [proof[0], .. proof]),
            ("truncated proof", from, to, fromRoot, toRoot, proof[..^1]),
        };
        for (var i = 0; i < proof.Count; i++) probes.Add(($"bit flipped in hash {i}", from, to, fromRoot, toRoot, WithFlippedBit(proof, i, 16)));

        foreach (var probe in probes)
            Merkle.VerifyConsistency(probe.From, probe.To, probe.FromRoot, probe.ToRoot, probe.Proof).ShouldBeFalse(probe.What);
    }

    [Fact]
    public void consistency_between_equal_empty_or_reversed_sizes_follows_the_published_probes()
    {
        // transparency-dev/merkle testdata/consistency/additional (cmd/proofgen staticConsistencyProbes)
        var root1 = Encoding.ASCII.GetBytes("don't care 1");
        var root2 = Encoding.ASCII.GetBytes("don't care 2");
        var empty = Merkle.EmptyRoot;
        Merkle.VerifyConsistency(0, 0, root1, root2, []).ShouldBeFalse("sizes are equal (zero) but roots are not");
        Merkle.VerifyConsistency(1, 1, root1, root2, []).ShouldBeFalse("sizes are equal (one) but roots are not");
        Merkle.VerifyConsistency(0, 0, root1, root1, []).ShouldBeFalse("sizes are equal (zero) and proof is empty");
        Merkle.VerifyConsistency(0, 1, root1, root2, []).ShouldBeFalse("size1 is zero and does not equal size2");
        Merkle.VerifyConsistency(1, 1, root2, root2, []).ShouldBeTrue("sizes are equal (one) and proof is empty");
        Merkle.VerifyConsistency(1, 0, root1, root2, []).ShouldBeFalse("size1 is greater than size2");
        Merkle.VerifyConsistency(2, 1, root1, root2, []).ShouldBeFalse("size1 is greater than size2 again");
        Merkle.VerifyConsistency(1, 2, root1, root2, []).ShouldBeFalse("sizes do not match and proof is empty");
        Merkle.VerifyConsistency(0, 0, empty, root2, []).ShouldBeFalse("roots do not match and sizes are zero");
        Merkle.VerifyConsistency(1, 1, empty, root2, []).ShouldBeFalse("roots do not match and sizes are one");
        Merkle.VerifyConsistency(0, 0, empty, empty, [empty]).ShouldBeFalse("sizes match but proof is not empty and sizes are zero");
        Merkle.VerifyConsistency(1, 1, empty, empty, [empty]).ShouldBeFalse("sizes match but proof is not empty and sizes are one");
        Merkle.VerifyConsistency(0, 1, empty, root2, []).ShouldBeFalse("size1 is zero and size2 is not zero");
        Merkle.VerifyConsistency(0, 1, empty, empty, [empty]).ShouldBeFalse("consistency check on empty tree (size1 is zero) is useless");
        Merkle.VerifyConsistency(0, 0, empty, empty, []).ShouldBeTrue("two empty trees");
    }

    private static List<byte[]> WithFlippedBit(List<byte[]> proof, int hash, byte bit)
    {
        var altered = proof.Select(h => (byte[])h.Clone()).ToList();
        altered[hash][0] ^= bit;
        return altered;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
