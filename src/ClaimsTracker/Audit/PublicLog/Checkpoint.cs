using System.Globalization;
using System.Text;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>The body of a C2SP tlog-checkpoint; this log writes no extension lines, so a body with any is refused.</summary>
public sealed record Checkpoint(string Origin, long Size, byte[] Root)
{
    public string Body()
    {
        if (string.IsNullOrEmpty(Origin) || Origin.Any(char.IsControl))
            throw new InvalidOperationException("A checkpoint origin is a non-empty line without control characters.");
        if (Size < 0) throw new InvalidOperationException($"A checkpoint's tree size cannot be negative ({Size}).");
        if (Root is not { Length: Merkle.HashSize })
            throw new InvalidOperationException($"A checkpoint's root is a {Merkle.HashSize}-byte hash.");
        return $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(Root)}\n";
    }

    public static bool TryParse(string body, out Checkpoint checkpoint)
    {
        checkpoint = null!;
        if (string.IsNullOrEmpty(body) || !body.EndsWith('\n')) return false;
        var lines = body[..^1].Split('\n');
        if (lines.Length != 3) return false;
        var (origin, sizeText, rootText) = (lines[0], lines[1], lines[2]);
        if (origin.Length == 0 || origin.Any(char.IsControl)) return false;
        if (sizeText.Length == 0 || !sizeText.All(char.IsAsciiDigit) || (sizeText.Length > 1 && sizeText[0] == '0')) return false;
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return false;
        if (SignedNote.TryDecodeBase64(rootText) is not { Length: Merkle.HashSize } root) return false;
        checkpoint = new Checkpoint(origin, size, root);
        return true;
    }

    public bool Equals(Checkpoint? other) =>
        other is not null && Origin == other.Origin && Size == other.Size && Root.AsSpan().SequenceEqual(other.Root);

    public override int GetHashCode() => HashCode.Combine(Origin, Size, Convert.ToBase64String(Root ?? []));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Origin = {Origin}, Size = {Size}, Root = {(Root is null ? "null" : Convert.ToBase64String(Root))}");
        return true;
    }
}
