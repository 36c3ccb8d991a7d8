namespace ClaimsTracker.Claims;

/// <summary>Another claim this one names: its premise (<c>depends_on</c>), the claim it duplicates (<c>same_as</c>), or one it contradicts.</summary>
public sealed record ClaimRelation(RelationKind Kind, Guid ClaimId, string? Note)
{
    /// <summary>How many claims one claim may name: what editors relate by hand, and a bound on the write-side state.</summary>
    public const int Max = 100;

    public static Guid? DuplicateOf(IEnumerable<ClaimRelation> relations) =>
        relations.FirstOrDefault(r => r.Kind == RelationKind.SameAs)?.ClaimId;

    /// <summary>Holds when every <c>depends_on</c> claim is confirmed, fails when one is refuted, denied or retracted; else open; null without premises.</summary>
    public static Premise? PremiseOf(IEnumerable<ClaimRelation> relations, Func<Guid, ClaimStatus?> statusOf)
    {
        var premises = relations.Where(r => r.Kind == RelationKind.DependsOn).Select(r => statusOf(r.ClaimId)).ToArray();
        return premises.Length == 0 ? null
            : premises.Any(s => s is ClaimStatus.Refuted or ClaimStatus.Denied or ClaimStatus.Retracted) ? Premise.Fails
            : premises.All(s => s == ClaimStatus.Confirmed) ? Premise.Holds
            : Premise.Open;
    }
}

public sealed record RelatedClaimView(RelationKind Kind, Guid ClaimId, string Statement, ClaimStatus Status, string? Note);
