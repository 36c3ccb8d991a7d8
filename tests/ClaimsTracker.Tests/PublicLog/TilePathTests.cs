using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class TilePathTests
{
    [Theory]
    // The index example of C2SP tlog-tiles: 1234067 is x001/x234/067
    [InlineData(0, 1234067, 256, "tile/0/x001/x234/067")]
    [InlineData(0, 1234067, 5, "tile/0/x001/x234/067.p/5")]
    [InlineData(-1, 0, 256, "tile/entries/000")]
    [InlineData(-1, 0, 1, "tile/entries/000.p/1")]
    [InlineData(1, 999, 255, "tile/1/999.p/255")]
    [InlineData(2, 1000, 256, "tile/2/x001/000")]
    [InlineData(63, 1000000, 256, "tile/63/x001/x000/000")]
    [InlineData(-1, 36028797018963967, 17, "tile/entries/x036/x028/x797/x018/x963/967.p/17")]
    public void tiles_are_written_as_c2sp_tlog_tiles_paths(int level, long index, int width, string expected)
    {
        var tile = new TileId(level, index, width);

        TilePath.Format(tile).ShouldBe(expected);
        TilePath.TryParse(expected["tile/".Length..], out var parsed).ShouldBeTrue();
        parsed.ShouldBe(tile);
    }

    [Fact]
    public void every_tile_round_trips_through_its_path()
    {
        long[] indexes = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 999_999, 1_000_000, 1_234_067, long.MaxValue / 256];
        foreach (var level in new[] { -1, 0, 1, 7, 63 })
        {
            foreach (var index in indexes)
            {
                foreach (var width in new[] { 1, 2, 128, 255, 256 })
                {
                    var tile = new TileId(level, index, width);
                    TilePath.TryParse(TilePath.Format(tile)["tile/".Length..], out var parsed).ShouldBeTrue(tile.ToString());
                    parsed.ShouldBe(tile);
                }
            }
        }
    }

    [Fact]
    public void tile_identities_say_whether_they_hold_entries_and_are_full()
    {
        new TileId(-1, 3, 256).IsEntries.ShouldBeTrue();
        new TileId(0, 3, 256).IsEntries.ShouldBeFalse();
        new TileId(0, 3, 256).IsFull.ShouldBeTrue();
        new TileId(0, 3, 255).IsFull.ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0/")]
    [InlineData("/000")]
    [InlineData("00/000")]
    [InlineData("01/000")]
    [InlineData("64/000")]
    [InlineData("100/000")]
    [InlineData("-1/000")]
    [InlineData("+1/000")]
    [InlineData(" 0/000")]
    [InlineData("Entries/000")]
    [InlineData("data/000")]
    [InlineData("tile/0/000")]
    [InlineData("0/0")]
    [InlineData("0/00")]
    [InlineData("0/0000")]
    [InlineData("0/00a")]
    [InlineData("0/٠٠٠")]
    [InlineData("0/x000")]
    [InlineData("0/x000/001")]
    [InlineData("0/001/002")]
    [InlineData("0/x001/234/567")]
    [InlineData("0/X001/234")]
    [InlineData("0/x01/234")]
    [InlineData("0/000/")]
    [InlineData("0//000")]
    [InlineData("0/000.p")]
    [InlineData("0/000.p/")]
    [InlineData("0/000.p/0")]
    [InlineData("0/000.p/00")]
    [InlineData("0/000.p/05")]
    [InlineData("0/000.p/256")]
    [InlineData("0/000.p/-1")]
    [InlineData("0/000.p/5/6")]
    [InlineData("0/000.P/5")]
    [InlineData("0/000.p.p/5")]
    [InlineData("entries/000.p/256")]
    [InlineData("0/.p/5")]
    // 2^63 and beyond: the index overflows, or its last node 256N + 255 does
    [InlineData("0/x009/x223/x372/x036/x854/x775/808")]
    [InlineData("0/x036/x028/x797/x018/x963/968")]
    [InlineData("0/x999/x999/x999/x999/x999/x999/x999/999")]
    public void non_canonical_or_out_of_range_paths_are_refused(string path)
    {
        TilePath.TryParse(path, out _).ShouldBeFalse();
    }

    [Fact]
    public void tiles_that_cannot_exist_cannot_be_written()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.Format(new TileId(0, 0, 0)));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.Format(new TileId(0, 0, 257)));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.Format(new TileId(64, 0, 256)));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.Format(new TileId(-2, 0, 256)));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.Format(new TileId(0, -1, 256)));
    }

    [Fact]
    public void nodes_between_tile_levels_are_the_merkle_nodes_of_the_tile_hashes()
    {
        var tree = InMemoryTree.WithGeneratedEntries(300);
        var fullTile = Enumerable.Range(0, 256).SelectMany(i => tree.LeafHash(i)).ToArray();
        var partialTile = Enumerable.Range(256, 44).SelectMany(i => tree.LeafHash(i)).ToArray();

        for (var level = 0; level <= TilePath.Height; level++)
        {
            var count = 1 << level;
            for (var first = 0; first < TilePath.Width; first += count)
                TilePath.NodeFromTile(fullTile, first, count).ShouldBe(tree.Node(level, first / count), $"level {level} at {first}");
            for (var first = 0; first + count <= 44; first += count)
                TilePath.NodeFromTile(partialTile, first, count).ShouldBe(tree.Node(level, (256 + first) / count), $"partial tile, level {level} at {first}");
        }
    }

    [Fact]
    public void nodes_that_a_tile_cannot_hold_are_refused()
    {
        var tile = new byte[256 * 32];

        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.NodeFromTile(tile, 0, 3));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.NodeFromTile(tile, 0, 512));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.NodeFromTile(tile, 0, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.NodeFromTile(tile, 2, 4));
        Should.Throw<ArgumentOutOfRangeException>(() => TilePath.NodeFromTile(tile, -4, 4));
        Should.Throw<ArgumentException>(() => TilePath.NodeFromTile(tile.AsSpan(0, 40 * 32), 32, 16));
    }
}
