using System.Globalization;
using System.Numerics;
using System.Text;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>A C2SP tlog-tiles resource: a hash tile, or with Level -1 an entry bundle.</summary>
public readonly record struct TileId(int Level, long Index, int Width)
{
    public const int EntriesLevel = -1;

    public bool IsEntries => Level < 0;

    public bool IsFull => Width == TilePath.Width;
}

public static class TilePath
{
    public const int Height = 8, Width = 256;

    public const int MaxLevel = 63;

    private const string EntriesSegment = "entries";

    private const string PartialSuffix = ".p";

    // 256 × Index + 255, the last node a tile can hold, must still be a long.
    private const long MaxIndex = long.MaxValue / Width;

    public static string Format(TileId tile)
    {
        if (tile.Level < TileId.EntriesLevel || tile.Level > MaxLevel)
            throw new ArgumentOutOfRangeException(nameof(tile), tile.Level, $"A tile level is between 0 and {MaxLevel}, or -1 for entries.");
        if (tile.Index is < 0 or > MaxIndex)
            throw new ArgumentOutOfRangeException(nameof(tile), tile.Index, $"A tile index is between 0 and {MaxIndex}.");
        if (tile.Width is < 1 or > Width)
            throw new ArgumentOutOfRangeException(nameof(tile), tile.Width, $"A tile is 1 to {Width} hashes wide.");

        var path = new StringBuilder("tile/");
        path.Append(tile.IsEntries ? EntriesSegment : tile.Level.ToString(CultureInfo.InvariantCulture));
        var groups = new Stack<long>();
        var index = tile.Index;
        do
        {
            groups.Push(index % 1000);
            index /= 1000;
        }
        while (index > 0);
        while (groups.Count > 0)
        {
            path.Append(groups.Count > 1 ? "/x" : "/");
            path.Append(groups.Pop().ToString("000", CultureInfo.InvariantCulture));
        }
        if (!tile.IsFull) path.Append(PartialSuffix).Append('/').Append(tile.Width.ToString(CultureInfo.InvariantCulture));
        return path.ToString();
    }

    public static bool TryParse(string path, out TileId tile)
    {
        tile = default;
        if (string.IsNullOrEmpty(path)) return false;
        var elements = path.Split('/');
        if (elements.Length < 2) return false;

        int level;
        if (elements[0] == EntriesSegment) level = TileId.EntriesLevel;
        else if (!TryParseDecimal(elements[0], MaxLevel, out level)) return false;

        var width = Width;
        var last = elements.Length - 1;
        if (elements[last - 1].EndsWith(PartialSuffix, StringComparison.Ordinal))
        {
            if (!TryParseDecimal(elements[last], Width - 1, out width) || width == 0) return false;
            elements[last - 1] = elements[last - 1][..^PartialSuffix.Length];
            last--;
        }
        if (last < 1) return false;

        long index = 0;
        for (var i = 1; i <= last; i++)
        {
            var element = elements[i].AsSpan();
            var isLast = i == last;
            if (!isLast)
            {
                if (element.Length == 0 || element[0] != 'x') return false;
                element = element[1..];
            }
            if (element.Length != 3 || !IsAsciiDigits(element)) return false;
            var group = int.Parse(element, NumberStyles.None, CultureInfo.InvariantCulture);
            // A leading x000 spells the same index a second way.
            if (i == 1 && !isLast && group == 0) return false;
            if (index > (MaxIndex - group) / 1000) return false;
            index = index * 1000 + group;
        }
        tile = new TileId(level, index, width);
        return true;
    }

    public static byte[] NodeFromTile(ReadOnlySpan<byte> tileHashes, int first, int count)
    {
        if (count is < 1 or > Width || !BitOperations.IsPow2(count))
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A node spans a power of two of tile hashes, at most {Width}.");
        if (first < 0 || first % count != 0)
            throw new ArgumentOutOfRangeException(nameof(first), first, $"A node over {count} tile hashes starts at a multiple of {count}.");
        if ((long)(first + count) * Merkle.HashSize > tileHashes.Length)
            throw new ArgumentException($"The tile holds {tileHashes.Length / Merkle.HashSize} hashes, fewer than {first + count}.", nameof(tileHashes));

        var level = new byte[count][];
        for (var i = 0; i < count; i++) level[i] = tileHashes.Slice((first + i) * Merkle.HashSize, Merkle.HashSize).ToArray();
        for (var width = count; width > 1; width /= 2)
        {
            for (var i = 0; i < width / 2; i++) level[i] = Merkle.NodeHash(level[2 * i], level[2 * i + 1]);
        }
        return level[0];
    }

    private static bool TryParseDecimal(string text, int max, out int value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 3 || !IsAsciiDigits(text) || (text.Length > 1 && text[0] == '0')) return false;
        value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max;
    }

    private static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }
}
