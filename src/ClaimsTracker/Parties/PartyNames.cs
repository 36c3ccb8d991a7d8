using System.Text;
using Marten;

namespace ClaimsTracker.Parties;

/// <summary>Any name or alias to its party, cached per node and reloaded when the registry's stamp in the database moves.</summary>
public sealed class PartyNames
{
    private volatile Snapshot? _current;

    private sealed record Snapshot(Guid? Stamp, IReadOnlyList<Party> All, IReadOnlyDictionary<string, Party> ByName);

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

    /// <summary>The canonical party of <paramref name="name"/>, or null when no party has that name or alias.</summary>
    public async Task<Party?> Resolve(IQuerySession session, string? name, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(name) ? null : (await Current(session, ct)).ByName.GetValueOrDefault(Normalize(name));

    public async Task<IReadOnlyList<Party>> All(IQuerySession session, CancellationToken ct) => (await Current(session, ct)).All;

    private async Task<Snapshot> Current(IQuerySession session, CancellationToken ct)
    {
        var stamp = (await session.LoadAsync<PartyRegistryStamp>(PartyRegistryStamp.Key, ct))?.Stamp;
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

        return _current = new Snapshot(stamp, parties, byName);
    }
}
