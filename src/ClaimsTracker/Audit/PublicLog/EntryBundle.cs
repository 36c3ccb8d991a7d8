using System.Buffers.Binary;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>A C2SP tlog-tiles entry bundle: each entry as a big-endian uint16 length, then its bytes.</summary>
public static class EntryBundle
{
    public const int MaxEntryLength = ushort.MaxValue;

    public static byte[] Write(IEnumerable<byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var bundle = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        var position = 0;
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (entry.Length > MaxEntryLength)
                throw new ArgumentException(
                    $"Entry {position} of the bundle has {entry.Length} bytes; a tlog-tiles entry bundle holds at most {MaxEntryLength} bytes per entry.",
                    nameof(entries));
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)entry.Length);
            bundle.Write(length);
            bundle.Write(entry);
            position++;
        }
        return bundle.ToArray();
    }

    public static IReadOnlyList<byte[]> Read(ReadOnlySpan<byte> bundle)
    {
        var entries = new List<byte[]>();
        while (!bundle.IsEmpty)
        {
            if (bundle.Length < 2)
                throw new FormatException($"Entry {entries.Count} of the bundle is cut off inside its 2-byte length.");
            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle);
            if (bundle.Length - 2 < length)
                throw new FormatException($"Entry {entries.Count} of the bundle declares {length} bytes but only {bundle.Length - 2} remain.");
            entries.Add(bundle.Slice(2, length).ToArray());
            bundle = bundle[(2 + length)..];
        }
        return entries;
    }
}
