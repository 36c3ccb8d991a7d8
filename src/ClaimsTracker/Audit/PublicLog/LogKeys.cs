using Microsoft.Extensions.Options;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>One signing key of the log's history: its private half while it signs, or only its verifier once retired.</summary>
public sealed class LogKeySetting
{
    public string? SigningKey { get; set; }
    public string? VerifierKey { get; set; }
    public long FromTreeSize { get; set; }
}

public sealed class LogOptions
{
    public string LogOrigin { get; set; } = "claimstracker.local/log";

    /// <summary>The key that signs from tree size 0: shorthand for a single entry of <see cref="Keys"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Rotation: each key signs from its <see cref="LogKeySetting.FromTreeSize"/> on; retired keys keep only their verifier.</summary>
    public List<LogKeySetting> Keys { get; set; } = [];

    public TimeSpan MaxIntegrationDelay { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed record PublishedKey(string VerifierKey, long FromTreeSize, long? ToTreeSize);

public sealed class LogKeys
{
    // a published development key, so that a service started without one still signs; ops/run makes a real one
    public const string DevelopmentKey = "PRIVATE+KEY+claimstracker.local/log+454a0279+AYKy4xRgG3OeQsUvt3XqdapXtg3xthJOOuqfHLazp3Nb";

    private readonly List<(long From, NoteSigner? Signer, NoteVerifier Verifier, string Published)> _keys;

    public LogKeys(IOptions<LogOptions> options) : this(options.Value)
    {
    }

    internal LogKeys(LogOptions options)
    {
        var settings = options.Keys.Count > 0
            ? options.Keys
            : [new LogKeySetting { SigningKey = options.SigningKey ?? DevelopmentKey }];
        _keys = settings
            .Select(k => k.SigningKey is { Length: > 0 } secret
                ? Entry(k.FromTreeSize, NoteSigner.FromPrivateKey(secret))
                : Retired(k.FromTreeSize, k.VerifierKey ?? throw new FormatException(
                    "Each Audit:Keys entry needs a SigningKey (PRIVATE+KEY+...) or, once retired, its VerifierKey")))
            .OrderBy(k => k.Item1)
            .ToList();
        if (_keys.Select(k => k.From).Distinct().Count() != _keys.Count)
        {
            throw new FormatException("Two Audit:Keys entries share a FromTreeSize: say which key signs which sizes");
        }

        if (_keys.Count == 0 || _keys[0].From != 0)
        {
            throw new FormatException("Audit:Keys must have a key with FromTreeSize 0: every checkpoint needs a signer");
        }

        IsDevelopment = _keys.Any(k => k.Signer?.VerifierKey == NoteSigner.FromPrivateKey(DevelopmentKey).VerifierKey);
    }

    public bool IsDevelopment { get; }

    public string Current => _keys[^1].Published;

    public IReadOnlyList<PublishedKey> Published =>
        _keys.Select((k, i) => new PublishedKey(k.Published, k.From, i + 1 < _keys.Count ? _keys[i + 1].From - 1 : null)).ToList();

    /// <summary>The signer for a checkpoint of <paramref name="size"/>, or null when that key is retired here.</summary>
    public NoteSigner? SignerFor(long size) => _keys.Last(k => k.From <= size).Signer;

    public string PublishedFor(long size) => _keys.Last(k => k.From <= size).Published;

    public NoteVerifier VerifierFor(long size) => _keys.Last(k => k.From <= size).Verifier;

    private static (long, NoteSigner?, NoteVerifier, string) Entry(long from, NoteSigner signer) =>
        (from, signer, NoteVerifier.Parse(signer.VerifierKey), signer.VerifierKey);

    private static (long, NoteSigner?, NoteVerifier, string) Retired(long from, string verifierKey) =>
        (from, null, NoteVerifier.Parse(verifierKey), verifierKey);
}
