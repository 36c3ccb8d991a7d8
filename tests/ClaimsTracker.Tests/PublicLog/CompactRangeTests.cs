using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class CompactRangeTests
{
    private const int LargestSize = 300;

    private static readonly InMemoryTree Tree = InMemoryTree.WithGeneratedEntries(LargestSize);

    [Fact]
    public void an_empty_range_has_the_empty_root()
    {
        var range = new CompactRange();

        range.Size.ShouldBe(0);
        range.Peaks.ShouldBeEmpty();
        range.Root().ShouldBe(Merkle.EmptyRoot);
    }

    [Fact]
    public void roots_after_every_append_up_to_300_match_the_recursive_definition()
    {
        var range = new CompactRange();
        for (long size = 1; size <= LargestSize; size++)
        {
            range.Append(Tree.LeafHash(size - 1));

            range.Size.ShouldBe(size);
            range.Root().ShouldBe(Tree.Mth(0, size), $"size {size}");
        }
    }

    [Fact]
    public void each_append_completes_exactly_the_nodes_that_the_hash_reader_serves_from_then_on()
    {
        var range = new CompactRange();
        var stored = new Dictionary<(int Level, long Index), byte[]>();
        for (long size = 1; size <= LargestSize; size++)
        {
            var completed = new List<(int Level, long Index)>();
            range.Append(Tree.LeafHash(size - 1), (level, index, hash) =>
            {
                completed.Add((level, index));
                stored.TryAdd((level, index), hash).ShouldBeTrue();
            });

            var newlyComplete = Tree.CompleteNodes(size).Where(node => (node.Index + 1) << node.Level == size);
            completed.ShouldBe(newlyComplete.OrderBy(node => node.Level).ToList(), $"size {size}");
            foreach (var node in completed) stored[node].ShouldBe(Tree.Node(node.Level, node.Index), $"node {node} at size {size}");
        }
        stored.Keys.ShouldBe(Tree.CompleteNodes(LargestSize), ignoreOrder: true);
    }

    [Fact]
    public async Task peaks_are_the_maximal_complete_subtrees_largest_first()
    {
        var range = new CompactRange();
        for (long size = 1; size <= LargestSize; size++)
        {
            range.Append(Tree.LeafHash(size - 1));

            var expected = new List<string>();
            long start = 0;
            for (var level = 62; level >= 0; level--)
            {
                if ((size & (1L << level)) == 0) continue;
                expected.Add(Convert.ToHexStringLower(await Merkle.RangeHash(start, start + (1L << level), Tree.ReaderFor(size), CancellationToken.None)));
                start += 1L << level;
            }
            range.Peaks.Select(peak => Convert.ToHexStringLower(peak)).ShouldBe(expected, $"size {size}");
        }
    }

    [Fact]
    public void a_range_rebuilt_from_its_peaks_grows_exactly_like_the_original()
    {
        var original = new CompactRange();
        for (var size = 0; size < 100; size++)
        {
            var rebuilt = CompactRange.FromNodes(original.Size, original.Peaks);
            for (var next = size; next < 120; next++) rebuilt.Append(Tree.LeafHash(next));

            rebuilt.Root().ShouldBe(Tree.Mth(0, 120), $"rebuilt at size {size}");
            original.Append(Tree.LeafHash(size));
        }
    }

    [Fact]
    public void peaks_that_do_not_fit_the_size_are_refused()
    {
        var hash = Tree.LeafHash(0);

        Should.Throw<ArgumentException>(() => CompactRange.FromNodes(3, [hash])).Message.ShouldContain("2 peaks");
        Should.Throw<ArgumentException>(() => CompactRange.FromNodes(0, [hash]));
        Should.Throw<ArgumentException>(() => CompactRange.FromNodes(1, [new byte[31]]));
        Should.Throw<ArgumentOutOfRangeException>(() => CompactRange.FromNodes(-1, []));
        Should.Throw<ArgumentException>(() => new CompactRange().Append(new byte[33]));
    }

    [Fact]
    public void peaks_given_to_a_range_are_copied()
    {
        var peak = (byte[])Tree.LeafHash(0).Clone();
        var range = CompactRange.FromNodes(1, [peak]);

        peak[0] ^= 0xff;

        range.Root().ShouldBe(Tree.Mth(0, 1));
    }
}
