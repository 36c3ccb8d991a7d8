using ClaimsTracker.Claims;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Marten.Patching;
using Marten.Schema;

namespace ClaimsTracker.Sources;

/// <summary>Who a source is: a few fields, so the daemon rewrites a small profile, not every statement the source made.</summary>
public sealed class SourceProfile
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Role { get; set; }
    public string? Party { get; set; }
}

/// <summary>One statement of a source on a claim; its columns let pages and track records read an index, not documents.</summary>
public sealed class SourceStatement
{
    public static void ConfigureMarten(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(SourceId), "text");
        mapping.DuplicateField(nameof(ClaimId), "uuid");
        mapping.DuplicateField(nameof(Stance), "text");   // the enum's name: Marten's duplicated enums as strings (ClaimsStore)
        mapping.DuplicateField(nameof(StatedAt), "timestamp with time zone");
        // a source's page and track record both read from this index alone
        mapping.Indexes.Add(new DocumentIndex(mapping, "source_id", "stated_at", "id") { Name = "mt_doc_sourcestatement_idx_source_stated_at" });
        mapping.Indexes.Add(new DocumentIndex(mapping, "source_id", "stance", "claim_id") { Name = "mt_doc_sourcestatement_idx_source_stance_claim" });
    }

    /// <summary>The statement's claim and version: <c>{claimId}/{version}</c>.</summary>
    public string Id { get; set; } = "";
    public string SourceId { get; set; } = "";
    public Guid ClaimId { get; set; }
    // not named Version: Marten gives a member of that name a meaning of its own
    public long ClaimVersion { get; set; }
    public Stance Stance { get; set; }
    public string? Quote { get; set; }
    public QuoteKind QuoteKind { get; set; }
    public DateTimeOffset StatedAt { get; set; }
    public TimePrecision StatedAtPrecision { get; set; }
    public string? Party { get; set; }

    public static string IdOf(Guid claimId, long version) => $"{claimId}/{version}";
}

public static class SourceId
{
    /// <summary>A readable, stable id from the source's name: "Dmitry Peskov" is "dmitry-peskov".</summary>
    public static string Of(string name)
    {
        var slug = new string(name.Trim().ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
        slug = string.Join('-', slug.Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "source" : slug[..Math.Min(slug.Length, 120)];
    }
}

public sealed partial class SourceProfileProjection : MultiStreamProjection<SourceProfile, string>
{
    public SourceProfileProjection()
    {
        Identity<StatementRecorded>(e => SourceId.Of(e.Source.Name));
        Identities<ClaimCorrected>(e => IdsOf(e));
    }

    /// <summary>The source a correction re-attributes a statement to: its page must exist, though it said nothing else.</summary>
    public static IReadOnlyList<string> IdsOf(ClaimCorrected e) =>
        e is { CorrectsVersion: not null, SourceName: not null, Source: { } source } ? [SourceId.Of(source.Name)] : [];

    public override SourceProfile? Evolve(SourceProfile? profile, string id, IEvent e)
    {
        var source = e.Data switch
        {
            StatementRecorded statement => statement.Source,
            ClaimCorrected correction when IdsOf(correction).Count > 0 => correction.Source,
            _ => null,
        };
        if (source is null)
        {
            return profile;
        }

        profile ??= new SourceProfile { Id = id };
        profile.Name = source.Name;
        profile.Role = source.Role ?? profile.Role;
        profile.Party = source.Party ?? profile.Party;
        return profile;
    }
}

// inserts, not an aggregation's upserts, so a rebuild writes them by binary COPY (docs/costs.md)
public sealed partial class SourceStatementProjection : EventProjection
{
    public SourceStatementProjection()
    {
        Name = "SourceStatement";
        // a rebuild clears the statements' table before it inserts them again
        RegisterPublishedType(typeof(SourceStatement));
    }

    public void Project(IEvent<StatementRecorded> e, IDocumentOperations ops) => ops.Insert(Apply(null, e)!);

    public void Project(IEvent<ClaimCorrected> e, IDocumentOperations ops)
    {
        if (IdOf(e) is not { } id || !e.Data.ChangesStatement)
        {
            return;
        }

        // the change Apply makes, in PostgreSQL: the statement's document may be in the same page of events, not yet written
        var patch = ops.Patch<SourceStatement>(id);
        if (e.Data.Stance is { } stance)
        {
            patch.Set(s => s.Stance, stance);
        }

        if (e.Data.Quote is { } quote)
        {
            patch.Set(s => s.Quote, quote);
        }

        if (e.Data.StatedTime() is { } stated)
        {
            patch.Set(s => s.StatedAt, stated.Start);
            patch.Set(s => s.StatedAtPrecision, stated.Precision);
        }

        if (e.Data.QuoteKind is { } quoteKind)
        {
            patch.Set(s => s.QuoteKind, quoteKind);
        }

        if (e.Data.Source is { } source)
        {
            // re-attributed: the statement moves to the other source's page
            patch.Set(s => s.SourceId, SourceId.Of(source.Name));
            patch.Set(s => s.Party, source.Party);
        }
    }

    public static string? IdOf(IEvent e) => e.Data switch
    {
        StatementRecorded statement => SourceStatement.IdOf(statement.ClaimId, e.Version),
        ClaimCorrected { SourceName: not null, CorrectsVersion: { } version } correction => SourceStatement.IdOf(correction.ClaimId, version),
        _ => null,
    };

    public static SourceStatement? Apply(SourceStatement? said, IEvent e)
    {
        switch (e.Data)
        {
            case StatementRecorded statement:
                return new SourceStatement
                {
                    Id = SourceStatement.IdOf(statement.ClaimId, e.Version), SourceId = SourceId.Of(statement.Source.Name),
                    ClaimId = statement.ClaimId, ClaimVersion = e.Version, Stance = statement.Stance, Quote = statement.Quote,
                    QuoteKind = statement.QuoteKind, StatedAt = statement.StatedAt, StatedAtPrecision = statement.StatedAtPrecision,
                    Party = statement.Source.Party,
                };
            case ClaimCorrected correction when said is not null:
                // what the statement said is now what the correction says
                said.Stance = correction.Stance ?? said.Stance;
                said.Quote = correction.Quote ?? said.Quote;
                (said.StatedAt, said.StatedAtPrecision) = correction.StatedTime() is { } stated ? (stated.Start, stated.Precision) : (said.StatedAt, said.StatedAtPrecision);
                said.QuoteKind = correction.QuoteKind ?? said.QuoteKind;
                (said.SourceId, said.Party) = correction.Source is { } source ? (SourceId.Of(source.Name), source.Party) : (said.SourceId, said.Party);
                return said;
            default:
                return said;
        }
    }
}
