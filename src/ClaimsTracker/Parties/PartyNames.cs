using System.Text;
using Marten;

namespace ClaimsTracker.Parties;

/// <summary>Any name or alias to its party, cached per node and reloaded when the registry's stamp in the database moves.</summary>
public sealed class PartyNames
{
    private volatile Snapshot? _current;

    private sealed record Snapshot(Guid? Stamp, IReadOnlyList<Party> All, PartyDirectory Directory);

    /// <summary>The key two spellings share when they name the same party: case folded, spacing trimmed and collapsed.</summary>
    public static string Normalize(string name)
    {
        var key = new StringBuilder(name.Length);
        var gap = false;
        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF')
            {
                gap = key.Length > 0;
                continue;
            }

            if (gap)
            {
                key.Append(' ');
                gap = false;
            }

            key.Append(char.ToLowerInvariant(c));
        }

        return key.ToString();
    }

    public async Task<Party?> Resolve(IQuerySession session, string? name, CancellationToken ct) =>
        (await Current(session, ct)).Directory.Find(name);

    public async Task<IReadOnlyList<Party>> All(IQuerySession session, CancellationToken ct) => (await Current(session, ct)).All;

    public async Task<PartyDirectory> At(IQuerySession session, PartyRegistryStamp? stamp, CancellationToken ct) =>
        (await At(session, stamp?.Stamp, ct)).Directory;

    private async Task<Snapshot> Current(IQuerySession session, CancellationToken ct) =>
        await At(session, (await session.LoadAsync<PartyRegistryStamp>(PartyRegistryStamp.Key, ct))?.Stamp, ct);

    private async Task<Snapshot> At(IQuerySession session, Guid? stamp, CancellationToken ct)
    {
        if (_current is { } current && current.Stamp == stamp)
        {
            return current;
        }

        // read after the stamp: what is loaded is at least as new as the stamp it is cached under
        var parties = (await session.Query<Party>().ToListAsync(ct)).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var byName = new Dictionary<string, Party>(StringComparer.Ordinal);
        foreach (var party in parties)
        {
            foreach (var name in party.Names())
            {
                byName.TryAdd(Normalize(name), party);
            }
        }

        return _current = new Snapshot(stamp, parties, new PartyDirectory(byName));
    }
}

/// <summary>The registry's names as one immutable value, so a decision resolves a name without a session.</summary>
public sealed class PartyDirectory(IReadOnlyDictionary<string, Party> byName)
{
    public static readonly PartyDirectory Empty = new(new Dictionary<string, Party>());

    public static PartyDirectory Of(IEnumerable<Party> parties) =>
        new(parties.SelectMany(p => p.Names().Select(n => (Key: PartyNames.Normalize(n), Party: p)))
            .DistinctBy(x => x.Key).ToDictionary(x => x.Key, x => x.Party));

    public Party? Find(string? name) => string.IsNullOrWhiteSpace(name) ? null : byName.GetValueOrDefault(PartyNames.Normalize(name));

    public string Canonical(string name) => Find(name)?.Name ?? name.Trim();

    /// <summary>The claim's own spelling of the party when it involves it, else the canonical name; null for no party.</summary>
    public string? Attribute(string[] involved, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var key = PartyNames.Normalize(Canonical(name));
        return involved.FirstOrDefault(p => PartyNames.Normalize(Canonical(p)) == key) ?? Canonical(name);
    }
}
