using System.Numerics;
using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class MerkleTreeTests
{
    private const int LargestSize = 300;

    private static readonly InMemoryTree Tree = InMemoryTree.WithGeneratedEntries(LargestSize + 1);

    [Fact]
    public async Task roots_for_every_tree_size_up_to_300_match_the_recursive_definition()
    {
        for (long size = 0; size <= LargestSize; size++)
        {
            var reader = Tree.ReaderFor(size);
            (await Merkle.Root(size, reader, CancellationToken.None)).ShouldBe(Tree.Mth(0, size), $"size {size}");
            reader.Reads.ShouldBe(BitOperations.PopCount((ulong)size), $"one read per peak at size {size}");
        }
    }

    [Fact]
    public async Task range_hashes_of_unaligned_ranges_match_the_recursive_definition()
    {
        var reader = Tree.ReaderFor(LargestSize);
        for (long start = 0; start < 40; start++)
        {
            for (var end = start; end <= 70; end++)
                (await Merkle.RangeHash(start, end, reader, CancellationToken.None)).ShouldBe(Tree.Mth(start, end), $"[{start}, {end})");
        }
    }

    [Fact]
    public async Task inclusion_proofs_for_every_leaf_of_every_tree_size_up_to_300_match_rfc_9162_and_verify()
    {
        for (long size = 1; size <= LargestSize; size++)
        {
            var root = Tree.Mth(0, size);
            for (long index = 0; index < size; index++)
            {
                var reader = Tree.ReaderFor(size);
                var proof = await Merkle.InclusionProof(index, size, reader, CancellationToken.None);

                Hexes(proof).ShouldBe(Hexes(Tree.Path(index, 0, size)), $"leaf {index} of {size}");
                reader.Reads.ShouldBeLessThanOrEqualTo(2 * CeilingLog2(size) + 1, $"leaf {index} of {size}");
                Merkle.VerifyInclusion(index, size, Tree.LeafHash(index), proof, root).ShouldBeTrue($"leaf {index} of {size}");
            }
        }
    }

    [Fact]
    public async Task inclusion_proofs_with_a_flipped_bit_another_leaf_or_another_tree_fail()
    {
        for (long size = 1; size <= LargestSize; size++)
        {
            var root = Tree.Mth(0, size);
            for (long index = 0; index < size; index++)
            {
                var proof = await Merkle.InclusionProof(index, size, Tree.ReaderFor(size), CancellationToken.None);
                var leaf = Tree.LeafHash(index);
                for (var hash = 0; hash < proof.Count; hash++)
                    Merkle.VerifyInclusion(index, size, leaf, Flipped(proof, hash), root).ShouldBeFalse($"leaf {index} of {size}, hash {hash} flipped");
                Merkle.VerifyInclusion(index, size, Tree.LeafHash(index + 1), proof, root).ShouldBeFalse($"leaf {index + 1} with the proof of {index}");
                if (index + 1 < size) Merkle.VerifyInclusion(index + 1, size, leaf, proof, root).ShouldBeFalse($"leaf {index} of {size} claimed at {index + 1}");
                if (index > 0) Merkle.VerifyInclusion(index - 1, size, leaf, proof, root).ShouldBeFalse($"leaf {index} of {size} claimed at {index - 1}");
                Merkle.VerifyInclusion(index, size + 1, leaf, proof, Tree.Mth(0, size + 1)).ShouldBeFalse($"leaf {index} of {size} claimed in {size + 1}");
                if (size - 1 > index) Merkle.VerifyInclusion(index, size - 1, leaf, proof, Tree.Mth(0, size - 1)).ShouldBeFalse($"leaf {index} of {size} claimed in {size - 1}");
            }
        }
    }

    [Fact]
    public async Task consistency_proofs_for_every_pair_of_tree_sizes_up_to_300_match_rfc_9162_and_verify()
    {
        for (long to = 1; to <= LargestSize; to++)
        {
            var toRoot = Tree.Mth(0, to);
            for (long from = 0; from <= to; from++)
            {
                var reader = Tree.ReaderFor(to);
                var proof = await Merkle.ConsistencyProof(from, to, reader, CancellationToken.None);

                Hexes(proof).ShouldBe(Hexes(Tree.Proof(from, to)), $"{from} to {to}");
                reader.Reads.ShouldBeLessThanOrEqualTo(2 * CeilingLog2(to) + 1, $"{from} to {to}");
                if (from > 0) Merkle.VerifyConsistency(from, to, Tree.Mth(0, from), toRoot, proof).ShouldBeTrue($"{from} to {to}");
                else proof.ShouldBeEmpty();
            }
        }
    }

    [Fact]
    public async Task consistency_proofs_with_a_flipped_bit_or_other_tree_sizes_fail()
    {
        for (long to = 2; to <= LargestSize; to++)
        {
            var toRoot = Tree.Mth(0, to);
            for (long from = 1; from < to; from++)
            {
                var fromRoot = Tree.Mth(0, from);
                var proof = await Merkle.ConsistencyProof(from, to, Tree.ReaderFor(to), CancellationToken.None);
                for (var hash = 0; hash < proof.Count; hash++)
                    Merkle.VerifyConsistency(from, to, fromRoot, toRoot, Flipped(proof, hash)).ShouldBeFalse($"{from} to {to}, hash {hash} flipped");
                Merkle.VerifyConsistency(from, to, fromRoot, Tree.Mth(0, to - 1), proof).ShouldBeFalse($"{from} to {to} with the root of {to - 1}");
                Merkle.VerifyConsistency(from, to + 1, fromRoot, Tree.Mth(0, to + 1), proof).ShouldBeFalse($"{from} to {to} claimed to {to + 1}");
                Merkle.VerifyConsistency(from + 1, to, Tree.Mth(0, from + 1), toRoot, proof).ShouldBeFalse($"{from} to {to} claimed from {from + 1}");
                if (from > 1) Merkle.VerifyConsistency(from - 1, to, Tree.Mth(0, from - 1), toRoot, proof).ShouldBeFalse($"{from} to {to} claimed from {from - 1}");
            }
        }
    }

    [Fact]
    public async Task proofs_outside_the_tree_are_refused()
    {
        var reader = Tree.ReaderFor(10);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await Merkle.InclusionProof(10, 10, reader, CancellationToken.None));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await Merkle.InclusionProof(-1, 10, reader, CancellationToken.None));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await Merkle.ConsistencyProof(11, 10, reader, CancellationToken.None));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await Merkle.Root(-1, reader, CancellationToken.None));
    }

    private static List<string> Hexes(IEnumerable<byte[]> hashes) => hashes.Select(hash => Convert.ToHexStringLower(hash)).ToList();

    private static int CeilingLog2(long value) => value <= 1 ? 0 : BitOperations.Log2((ulong)(value - 1)) + 1;

    private static List<byte[]> Flipped(IReadOnlyList<byte[]> proof, int hash)
    {
        var altered = proof.Select(h => (byte[])h.Clone()).ToList();
        altered[hash][hash % altered[hash].Length] ^= 0x01;
        return altered;
    }
}
