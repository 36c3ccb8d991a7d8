using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Marten.Patching;
using Marten.Schema;

namespace ClaimsTracker.Claims;

/// <summary>One fact the status is derived from, one row each in the write's transaction, so a correction finds its statement by id.</summary>
public sealed class ClaimFact
{
    public static void ConfigureMarten(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(ClaimId), "uuid");
        mapping.DuplicateField(nameof(ClaimVersion), "bigint");
        mapping.DuplicateField(nameof(Party), "text");
        mapping.DuplicateField(nameof(Stance), "text");   // the enum's name: Marten's duplicated enums as strings (ClaimsStore)
        mapping.DuplicateField(nameof(At), "timestamp with time zone");
        // a party's latest word, read from the index when a correction moves it
        mapping.Indexes.Add(new DocumentIndex(mapping, "claim_id", "party", "at", "claim_version") { Name = "mt_doc_claimfact_idx_claim_party_at" });
    }

    public string Id { get; set; } = "";
    public Guid ClaimId { get; set; }
    /// <summary>The event's version (not named Version: Marten gives that name a meaning of its own).</summary>
    public long ClaimVersion { get; set; }
    /// <summary>The source's party (an involved one in the claim's spelling), or null for a ruling or a source of none.</summary>
    public string? Party { get; set; }
    public string? SourceName { get; set; }
    public Stance Stance { get; set; }
    public string? Quote { get; set; }
    public QuoteKind QuoteKind { get; set; }
    /// <summary>When the fact counts in world time: the end of the period a statement was said in (<see cref="WorldTime.End"/>).</summary>
    public DateTimeOffset At { get; set; }
    public TimePrecision AtPrecision { get; set; }
    public ClaimStatus? Ruling { get; set; }
    public long? CorrectedIn { get; set; }
    /// <summary>Marks a verdict's withdrawal: a ruling with no status, from which the derivation resumes.</summary>
    public bool WithdrawsVerdict { get; set; }

    /// <summary>Whether the row is a party's or a third party's statement rather than a ruling.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsStatement => Ruling is null && !WithdrawsVerdict;

    public static string IdOf(Guid claimId, long version) => $"{claimId}/{version}";

    public static ClaimFact? Of(IEvent e) => e.Data switch
    {
        StatementRecorded s => new ClaimFact
        {
            Id = IdOf(e.StreamId, e.Version), ClaimId = e.StreamId, ClaimVersion = e.Version, Party = s.Source.Party,
            SourceName = s.Source.Name, Stance = s.Stance, Quote = s.Quote, QuoteKind = s.QuoteKind,
            At = new WorldTime(s.StatedAt, s.StatedAtPrecision).End, AtPrecision = s.StatedAtPrecision,
        },
        VerdictGiven v => Ruled(e, ConfirmationStatus.ForVerdict(v.Verdict), v.GivenAt),
        ClaimRetracted r => Ruled(e, ClaimStatus.Retracted, r.RetractedAt),
        VerdictWithdrawn w => Ruled(e, null, w.WithdrawnAt),
        _ => null,
    };

    public static IEnumerable<ClaimFact> Rows(IEnumerable<IEvent> events)
    {
        var rows = new Dictionary<long, ClaimFact>();
        foreach (var e in events)
        {
            if (Of(e) is { } row)
            {
                rows[row.ClaimVersion] = row;
            }
            else if (e.Data is ClaimCorrected { CorrectsVersion: { } target, ChangesStatement: true } c && rows.TryGetValue(target, out var said))
            {
                (said.Stance, said.Quote, said.QuoteKind, said.CorrectedIn) = (c.Stance ?? said.Stance, c.Quote ?? said.Quote, c.QuoteKind ?? said.QuoteKind, e.Version);
                (said.SourceName, said.Party) = c.Source is { } source ? (source.Name, source.Party) : (said.SourceName, said.Party);
                if (c.StatedTime() is { } stated)
                {
                    (said.At, said.AtPrecision) = (stated.End, stated.Precision);
                }
            }
        }

        return rows.Values;
    }

    private static ClaimFact Ruled(IEvent e, ClaimStatus? status, DateTimeOffset at) => new()
    {
        Id = IdOf(e.StreamId, e.Version), ClaimId = e.StreamId, ClaimVersion = e.Version, Ruling = status, At = at,
        WithdrawsVerdict = status is null,
    };

    public PartyStatement Statement() =>
        new(ClaimVersion, Party!, Stance, WorldTime.Ending(At, AtPrecision).Start, SourceName ?? "", Quote, QuoteKind, AtPrecision, CorrectedIn);

    public static async Task<ClaimFacts> Of(IQuerySession session, Guid claimId, string[] parties, DateTimeOffset since, CancellationToken ct)
    {
        var rows = await session.Query<ClaimFact>().Where(f => f.ClaimId == claimId).OrderBy(f => f.ClaimVersion).ToListAsync(ct);
        return new ClaimFacts(parties, since,
            rows.Where(r => r.IsStatement && ClaimFacts.InvolvedParty(parties, r.Party) is not null).Select(r => r.Statement()).ToArray(),
            rows.Where(r => !r.IsStatement).Select(r => new Ruling(r.ClaimVersion, r.Ruling, r.At)).ToArray(),
            rows.Where(r => r.IsStatement && ClaimFacts.InvolvedParty(parties, r.Party) is null)
                .Select(r => r.Statement() with { Party = r.Party ?? "" }).ToArray());
    }

    /// <summary>The party's latest confirmation or denial (or report of not having confirmed) other than the statement at <paramref name="except"/>.</summary>
    public static async Task<PartyStatement?> LatestOf(
        IQuerySession session, Guid claimId, string party, long except, CancellationToken ct, bool notConfirmed = false)
    {
        var rows = session.Query<ClaimFact>().Where(f => f.ClaimId == claimId && f.Party == party && f.ClaimVersion != except);
        rows = notConfirmed
            ? rows.Where(f => f.Stance == Stance.NotConfirmed)
            : rows.Where(f => f.Stance == Stance.Confirms || f.Stance == Stance.Denies);
        var row = await rows.OrderByDescending(f => f.At).ThenByDescending(f => f.ClaimVersion).FirstOrDefaultAsync(ct);
        return row?.Statement();
    }
}

public sealed partial class ClaimFactProjection : EventProjection
{
    public ClaimFactProjection()
    {
        Name = nameof(ClaimFact);
        RegisterPublishedType(typeof(ClaimFact));
    }

    public void Project(IEvent<StatementRecorded> e, IDocumentOperations ops) => ops.Insert(ClaimFact.Of(e)!);

    public void Project(IEvent<VerdictGiven> e, IDocumentOperations ops) => ops.Insert(ClaimFact.Of(e)!);

    public void Project(IEvent<ClaimRetracted> e, IDocumentOperations ops) => ops.Insert(ClaimFact.Of(e)!);

    public void Project(IEvent<VerdictWithdrawn> e, IDocumentOperations ops) => ops.Insert(ClaimFact.Of(e)!);

    public void Project(IEvent<ClaimCorrected> e, IDocumentOperations ops)
    {
        if (e.Data.CorrectsVersion is not { } version || !e.Data.ChangesStatement)
        {
            return;
        }

        // in PostgreSQL: the statement's row may be in the same batch of events, not yet written
        var patch = ops.Patch<ClaimFact>(ClaimFact.IdOf(e.StreamId, version));
        patch.Set(f => f.CorrectedIn, e.Version);
        if (e.Data.Stance is { } stance)
        {
            patch.Set(f => f.Stance, stance);
        }

        if (e.Data.Quote is { } quote)
        {
            patch.Set(f => f.Quote, quote);
        }

        if (e.Data.StatedTime() is { } stated)
        {
            patch.Set(f => f.At, stated.End);
            patch.Set(f => f.AtPrecision, stated.Precision);
        }

        if (e.Data.QuoteKind is { } quoteKind)
        {
            patch.Set(f => f.QuoteKind, quoteKind);
        }

        if (e.Data.Source is { } source)
        {
            patch.Set(f => f.SourceName, source.Name);
            patch.Set(f => f.Party, source.Party);
        }
    }
}
