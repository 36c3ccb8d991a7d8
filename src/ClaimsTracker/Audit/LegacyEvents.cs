using ClaimsTracker.Claims;
using Marten;

namespace ClaimsTracker.Audit;

/// <summary>The first release's <c>claim_rereported</c>, kept so old streams replay; read as today's <see cref="ClaimReported"/>.</summary>
public sealed record ClaimRereportedV1(Guid ClaimId, string Outlet, string? Url, DateTimeOffset PublishedAt, string RecordedBy);

public static class LegacyEvents
{
    public const string ClaimRereported = "claim_rereported";

    public static readonly string[] Names = [ClaimRereported];

    public static ClaimReported Upcast(ClaimRereportedV1 old) =>
        new(old.ClaimId, new Article(old.Outlet, old.Url, null, old.PublishedAt), old.RecordedBy);

    public static void Register(StoreOptions opts) =>
        opts.Events.Upcast<ClaimRereportedV1, ClaimReported>(ClaimRereported, Upcast);
}
