namespace ClaimsTracker.Parties;

// The party stream's events. Their stored names (PartiesSetup) are the contract; the classes may be renamed freely.

public sealed record PartyRegistered(Guid PartyId, string Name, string[] Aliases, string? Wikidata, string RecordedBy);

public sealed record PartyAliasAdded(Guid PartyId, string Alias, string RecordedBy);
