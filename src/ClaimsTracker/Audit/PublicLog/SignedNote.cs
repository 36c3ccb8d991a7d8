using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Ed25519PublicKey = NSec.Cryptography.PublicKey;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>Signs C2SP signed notes with an Ed25519 key, in the key formats of Go's golang.org/x/mod/sumdb/note.</summary>
public sealed class NoteSigner
{
    private const string PrivateKeyPrefix = "PRIVATE+KEY+";

    private readonly Key key;

    private NoteSigner(string name, Key key)
    {
        this.key = key;
        Name = name;
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = SignedNote.KeyId(name, publicKey);
        VerifierKey = SignedNote.VerifierKey(name, KeyId, publicKey);
    }

    public string Name { get; }

    public uint KeyId { get; }

    public string VerifierKey { get; }

    public static NoteSigner FromPrivateKey(string privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        // Messages name the part that is wrong but never echo the key: it is a secret.
        const string expected = "expected PRIVATE+KEY+<name>+<8 hex digit key id>+<base64 of 0x01 and a 32-byte Ed25519 seed>";
        var parts = privateKey.Split('+', 5);
        if (parts.Length != 5 || !privateKey.StartsWith(PrivateKeyPrefix, StringComparison.Ordinal))
            throw new FormatException($"The note signing key is not in the signed-note private key form: {expected}.");
        var name = parts[2];
        if (!SignedNote.IsValidName(name))
            throw new FormatException($"The note signing key has an invalid name: a name is non-empty, without spaces or '+'; {expected}.");
        if (!SignedNote.TryParseKeyId(parts[3], out var keyId))
            throw new FormatException($"The note signing key for '{name}' has no 8 hex digit key id; {expected}.");
        var seed = SignedNote.TryDecodeBase64(parts[4]);
        try
        {
            if (seed is not { Length: 33 } || seed[0] != SignedNote.Ed25519Type)
                throw new FormatException($"The note signing key for '{name}' is not a base64 Ed25519 seed (0x01 then 32 bytes); {expected}.");
            var key = Key.Import(SignatureAlgorithm.Ed25519, seed.AsSpan(1), KeyBlobFormat.RawPrivateKey);
            var actualKeyId = SignedNote.KeyId(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
            if (actualKeyId == keyId) return new NoteSigner(name, key);
            key.Dispose();
            throw new FormatException(
                $"The note signing key for '{name}' says key id {keyId:x8}, but its key has id {actualKeyId:x8}: the key or its id was changed.");
        }
        finally
        {
            if (seed is not null) CryptographicOperations.ZeroMemory(seed);
        }
    }

    public static string GeneratePrivateKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!SignedNote.IsValidName(name))
            throw new ArgumentException($"'{name}' cannot name a note key: a name is non-empty, without spaces or '+'.", nameof(name));
        var seed = new byte[33];
        try
        {
            seed[0] = SignedNote.Ed25519Type;
            RandomNumberGenerator.Fill(seed.AsSpan(1));
            using var key = Key.Import(SignatureAlgorithm.Ed25519, seed.AsSpan(1), KeyBlobFormat.RawPrivateKey);
            var keyId = SignedNote.KeyId(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
            return $"{PrivateKeyPrefix}{name}+{keyId:x8}+{Convert.ToBase64String(seed)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public string Sign(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!body.EndsWith('\n'))
            throw new ArgumentException("A note body ends with a newline.", nameof(body));
        if (!SignedNote.IsValidText(body, out var bodyBytes))
            throw new ArgumentException("A note body is valid Unicode without control characters other than newline.", nameof(body));
        var signature = new byte[4 + 64];
        BinaryPrimitives.WriteUInt32BigEndian(signature, KeyId);
        SignatureAlgorithm.Ed25519.Sign(key, bodyBytes, signature.AsSpan(4));
        return $"{body}\n{SignedNote.SignatureLinePrefix}{Name} {Convert.ToBase64String(signature)}\n";
    }

    public override string ToString() => $"NoteSigner {VerifierKey}";
}

/// <summary>Checks C2SP signed notes against one Ed25519 verifier key <c>&lt;name&gt;+&lt;key id&gt;+&lt;base64(0x01 || key)&gt;</c>.</summary>
public sealed class NoteVerifier
{
    private const int MaxSignatures = 100;

    private readonly Ed25519PublicKey publicKey;

    private NoteVerifier(string name, uint keyId, Ed25519PublicKey publicKey, byte[] publicKeyBytes)
    {
        Name = name;
        KeyId = keyId;
        this.publicKey = publicKey;
        PublicKey = publicKeyBytes;
    }

    public string Name { get; }

    public uint KeyId { get; }

    public byte[] PublicKey { get; }

    public static NoteVerifier Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        const string expected = "expected <name>+<8 hex digit key id>+<base64 of 0x01 and a 32-byte Ed25519 public key>";
        var parts = verifierKey.Split('+', 3);
        if (parts.Length != 3)
            throw new FormatException($"'{verifierKey}' is not a signed-note verifier key: {expected}.");
        var name = parts[0];
        if (!SignedNote.IsValidName(name))
            throw new FormatException($"The verifier key '{verifierKey}' has an invalid name: a name is non-empty, without spaces or '+'.");
        if (!SignedNote.TryParseKeyId(parts[1], out var keyId))
            throw new FormatException($"The verifier key '{verifierKey}' has no 8 hex digit key id: {expected}.");
        var typedKey = SignedNote.TryDecodeBase64(parts[2]);
        if (typedKey is not { Length: 33 } || typedKey[0] != SignedNote.Ed25519Type)
            throw new FormatException($"The verifier key '{verifierKey}' is not an Ed25519 key in base64 (0x01 then 32 bytes): {expected}.");
        var publicKeyBytes = typedKey[1..];
        var actualKeyId = SignedNote.KeyId(name, publicKeyBytes);
        if (actualKeyId != keyId)
            throw new FormatException($"The verifier key '{verifierKey}' says key id {keyId:x8}, but its key has id {actualKeyId:x8}.");
        if (!Ed25519PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKeyBytes, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
            throw new FormatException($"The verifier key '{verifierKey}' does not hold a valid Ed25519 public key.");
        return new NoteVerifier(name, keyId, publicKey, publicKeyBytes);
    }

    /// <summary>Any line by this key that fails to verify rejects the whole note, as signed-note advises.</summary>
    public bool TryOpen(string note, out string body)
    {
        body = "";
        if (note is null || !SignedNote.IsValidText(note, out _)) return false;
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) return false;
        var text = note[..(split + 1)];
        var signatureLines = note[(split + 2)..];
        if (signatureLines.Length == 0 || !signatureLines.EndsWith('\n')) return false;

        var lines = signatureLines[..^1].Split('\n');
        if (lines.Length > MaxSignatures) return false;
        var textBytes = Encoding.UTF8.GetBytes(text);
        var verified = false;
        foreach (var line in lines)
        {
            if (!line.StartsWith(SignedNote.SignatureLinePrefix, StringComparison.Ordinal)) return false;
            var nameAndSignature = line[SignedNote.SignatureLinePrefix.Length..];
            var space = nameAndSignature.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0) return false;
            var name = nameAndSignature[..space];
            var signature = SignedNote.TryDecodeBase64(nameAndSignature[(space + 1)..]);
            if (!SignedNote.IsValidName(name) || signature is not { Length: >= 5 }) return false;
            if (name != Name || BinaryPrimitives.ReadUInt32BigEndian(signature) != KeyId) continue;
            if (!SignatureAlgorithm.Ed25519.Verify(publicKey, textBytes, signature.AsSpan(4))) return false;
            verified = true;
        }
        if (verified) body = text;
        return verified;
    }

    public override string ToString() => $"NoteVerifier {Name}+{KeyId:x8}";
}

internal static class SignedNote
{
    public const byte Ed25519Type = 0x01;

    public const string SignatureLinePrefix = "\u2014 ";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsValidName(string name) =>
        name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '+') && IsValidText(name, out _);

    public static bool IsValidText(string text, out byte[] utf8)
    {
        utf8 = [];
        if (text.Any(c => c < 0x20 && c != '\n')) return false;
        try
        {
            utf8 = StrictUtf8.GetBytes(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    public static uint KeyId(string name, ReadOnlySpan<byte> ed25519PublicKey)
    {
        byte[] keyIdInput = [.. Encoding.UTF8.GetBytes(name), (byte)'\n', Ed25519Type, .. ed25519PublicKey];
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(keyIdInput));
    }

    public static string VerifierKey(string name, uint keyId, ReadOnlySpan<byte> ed25519PublicKey) =>
        $"{name}+{keyId:x8}+{Convert.ToBase64String([Ed25519Type, .. ed25519PublicKey])}";

    public static bool TryParseKeyId(string hex, out uint keyId)
    {
        keyId = 0;
        return hex.Length == 8 && hex.All(char.IsAsciiHexDigit)
            && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId);
    }

    public static byte[]? TryDecodeBase64(string base64)
    {
        if (base64.Length == 0 || base64.Length % 4 != 0) return null;
        var bytes = new byte[base64.Length / 4 * 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var written)) return null;
        var decoded = bytes[..written];
        CryptographicOperations.ZeroMemory(bytes);
        return Convert.ToBase64String(decoded) == base64 ? decoded : null;
    }
}
