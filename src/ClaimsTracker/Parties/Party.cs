using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace ClaimsTracker.Parties;

/// <summary>A party as the registry lists it: the write side's state and the registry's document at once.</summary>
public sealed partial record Party(Guid Id, string Name, string[] Aliases, string? Wikidata, long Revision)
{
    public static Party Create(PartyRegistered e) => new(e.PartyId, e.Name, e.Aliases, e.Wikidata, 1);

    public Party Apply(PartyAliasAdded e) => this with { Aliases = [.. Aliases, e.Alias], Revision = Revision + 1 };

    public IEnumerable<string> Names() => Aliases.Prepend(Name);

    public string? WikidataUrl => Wikidata is null ? null : Wikidatas.Url(Wikidata);
}

/// <summary>One normalised name or alias keyed by itself: the primary key keeps two parties from ever sharing a name.</summary>
public sealed class PartyName
{
    public string Id { get; set; } = "";

    public Guid PartyId { get; set; }

    public string Spelling { get; set; } = "";
}

/// <summary>Changes with every party event, so each node sees in one small read whether its cached registry is current.</summary>
public sealed class PartyRegistryStamp
{
    public const string Key = "parties";

    public string Id { get; set; } = Key;

    public Guid Stamp { get; set; }
}

public sealed partial class PartyNamesProjection : EventProjection
{
    public PartyNamesProjection()
    {
        Name = "PartyNames";
        RegisterPublishedType(typeof(PartyName));
        RegisterPublishedType(typeof(PartyRegistryStamp));
    }

    public void Project(IEvent<PartyRegistered> e, IDocumentOperations ops)
    {
        foreach (var name in e.Data.Aliases.Prepend(e.Data.Name))
        {
            ops.Insert(new PartyName { Id = PartyNames.Normalize(name), PartyId = e.Data.PartyId, Spelling = name });
        }

        ops.Store(new PartyRegistryStamp { Stamp = e.Id });
    }

    public void Project(IEvent<PartyAliasAdded> e, IDocumentOperations ops)
    {
        ops.Insert(new PartyName { Id = PartyNames.Normalize(e.Data.Alias), PartyId = e.Data.PartyId, Spelling = e.Data.Alias });
        ops.Store(new PartyRegistryStamp { Stamp = e.Id });
    }
}

public static class Wikidatas
{
    public static bool IsId(string? value) =>
        value is { Length: >= 2 and <= 12 } && value[0] is 'Q' or 'q' && value[1] is >= '1' and <= '9' && value.Skip(2).All(char.IsAsciiDigit);

    public static string Url(string id) => $"http://www.wikidata.org/entity/{id}";
}
