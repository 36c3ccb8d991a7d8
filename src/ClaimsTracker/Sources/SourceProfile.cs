using ClaimsTracker.Claims;
using JasperFx.Events;
using Marten.Events.Projections;

namespace ClaimsTracker.Sources;

public sealed record SourceStatement(Guid ClaimId, long Version, Stance Stance, string? Quote, DateTimeOffset StatedAt, string? Party);

/// <summary>Everything one source said, across claims, kept by the async daemon.</summary>
public sealed class SourceProfile
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Role { get; set; }
    public string? Party { get; set; }
    public List<SourceStatement> Statements { get; set; } = [];
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
        Identities<ClaimCorrected>(e => e.SourceName is null ? [] : [SourceId.Of(e.SourceName)]);
    }

    public override SourceProfile? Evolve(SourceProfile? profile, string id, IEvent e)
    {
        if (e.Data is ClaimCorrected correction && profile is not null)
        {
            // a correction of one of this source's statements: what it said is now what the correction says
            var index = profile.Statements.FindIndex(s => s.ClaimId == correction.ClaimId && s.Version == correction.CorrectsVersion);
            if (index >= 0)
            {
                var said = profile.Statements[index];
                profile.Statements[index] = said with
                {
                    Stance = correction.Stance ?? said.Stance, Quote = correction.Quote ?? said.Quote,
                    StatedAt = correction.StatedAt ?? said.StatedAt,
                };
            }

            return profile;
        }

        if (e.Data is not StatementRecorded statement)
        {
            return profile;
        }

        profile ??= new SourceProfile { Id = id };
        profile.Name = statement.Source.Name;
        profile.Role = statement.Source.Role ?? profile.Role;
        profile.Party = statement.Source.Party ?? profile.Party;
        profile.Statements.Add(new SourceStatement(statement.ClaimId, e.Version, statement.Stance, statement.Quote,
            statement.StatedAt, statement.Source.Party));
        return profile;
    }
}
