using ClaimsTracker.Claims;
using JasperFx.Events;
using Marten.Events.Projections;
using Marten.Schema;

namespace ClaimsTracker.Sources;

/// <summary>
/// Who a source is, kept by the async daemon: a few fields, whatever the source said. What it said is in
/// <see cref="SourceStatement"/>, one document per statement, so a batch of the daemon rewrites a profile of a few
/// hundred bytes, not every statement the source ever made (1.8 MB on average in the bench's bulk store).
/// </summary>
public sealed class SourceProfile
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Role { get; set; }
    public string? Party { get; set; }
}

/// <summary>
/// One statement of a source on a claim, as corrections since have it, kept by the async daemon. The source, claim,
/// stance and world time are columns copied from the document (<see cref="ConfigureMarten"/>): a source's page reads
/// its statements newest first through an index, and the track record counts them in PostgreSQL against each claim's
/// status column, without loading a document.
/// </summary>
public sealed class SourceStatement
{
    public static void ConfigureMarten(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(SourceId), "text");
        mapping.DuplicateField(nameof(ClaimId), "uuid");
        mapping.DuplicateField(nameof(Stance), "text");   // the enum's name: Marten's duplicated enums as strings (ClaimsStore)
        mapping.DuplicateField(nameof(StatedAt), "timestamp with time zone");
        // a source's statements, newest first (the page), and its confirmations and denials with their claims (the
        // track record), both from the index alone; nothing else is looked up by these columns
        mapping.Indexes.Add(new DocumentIndex(mapping, "source_id", "stated_at", "id") { Name = "mt_doc_sourcestatement_idx_source_stated_at" });
        mapping.Indexes.Add(new DocumentIndex(mapping, "source_id", "stance", "claim_id") { Name = "mt_doc_sourcestatement_idx_source_stance_claim" });
    }

    /// <summary>The statement's claim and version: <c>{claimId}/{version}</c>.</summary>
    public string Id { get; set; } = "";
    public string SourceId { get; set; } = "";
    public Guid ClaimId { get; set; }
    /// <summary>
    /// The claim's version the statement was recorded as (not named Version: Marten sets a projected document's
    /// Version to that of the last event applied to it, which for a corrected statement is the correction's).
    /// </summary>
    public long ClaimVersion { get; set; }
    public Stance Stance { get; set; }
    public string? Quote { get; set; }
    public DateTimeOffset StatedAt { get; set; }
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
    }

    public override SourceProfile? Evolve(SourceProfile? profile, string id, IEvent e)
    {
        if (e.Data is not StatementRecorded statement)
        {
            return profile;
        }

        profile ??= new SourceProfile { Id = id };
        profile.Name = statement.Source.Name;
        profile.Role = statement.Source.Role ?? profile.Role;
        profile.Party = statement.Source.Party ?? profile.Party;
        return profile;
    }
}

/// <summary>Each statement as its own document, keyed by claim and version; a correction of it changes what it says.</summary>
public sealed partial class SourceStatementProjection : MultiStreamProjection<SourceStatement, string>
{
    public SourceStatementProjection()
    {
        Identity<IEvent<StatementRecorded>>(e => SourceStatement.IdOf(e.Data.ClaimId, e.Version));
        Identities<ClaimCorrected>(e => e is { SourceName: not null, CorrectsVersion: { } version } ? [SourceStatement.IdOf(e.ClaimId, version)] : []);
    }

    /// <summary>The statement documents an event touches, as <see cref="SourceStatementProjection"/> declares them.</summary>
    public static string? IdOf(IEvent e) => e.Data switch
    {
        StatementRecorded statement => SourceStatement.IdOf(statement.ClaimId, e.Version),
        ClaimCorrected { SourceName: not null, CorrectsVersion: { } version } correction => SourceStatement.IdOf(correction.ClaimId, version),
        _ => null,
    };

    public override SourceStatement? Evolve(SourceStatement? said, string id, IEvent e)
    {
        switch (e.Data)
        {
            case StatementRecorded statement:
                return new SourceStatement
                {
                    Id = id, SourceId = SourceId.Of(statement.Source.Name), ClaimId = statement.ClaimId, ClaimVersion = e.Version,
                    Stance = statement.Stance, Quote = statement.Quote, StatedAt = statement.StatedAt, Party = statement.Source.Party,
                };
            case ClaimCorrected correction when said is not null:
                // what the statement said is now what the correction says
                said.Stance = correction.Stance ?? said.Stance;
                said.Quote = correction.Quote ?? said.Quote;
                said.StatedAt = correction.StatedAt ?? said.StatedAt;
                return said;
            default:
                return said;
        }
    }
}
