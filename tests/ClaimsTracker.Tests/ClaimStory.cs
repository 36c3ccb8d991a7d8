using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;

namespace ClaimsTracker.Tests;

/// <summary>The weapons claim of the demo article, and the events that can happen to it, in world time February 2024.</summary>
internal static class ClaimStory
{
    public const string Russia = "Russia";
    public const string NorthKorea = "North Korea";

    public static readonly Guid ClaimId = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

    /// <summary>When the first article reported the claim: the start of its timeline.</summary>
    public static readonly DateTimeOffset FirstReported = Day(20, 0);

    public static readonly DecisionContext Editor = new(new Actor("desk-editor", "editor"), Day(28));

    public static DateTimeOffset Day(int day, int hour = 12) => new(2024, 2, day, hour, 0, 0, TimeSpan.Zero);

    public static ClaimRegistered Registered(params string[] parties) => new(
        ClaimId,
        "North Korea has supplied rockets and missiles to Russia",
        parties.Length == 0 ? [Russia, NorthKorea] : parties,
        ["weapons", "sanctions"],
        new Article("Reuters", "https://www.reuters.com/world/weapons", "North Korea supplied missiles", FirstReported),
        "desk-editor");

    public static StatementRecorded Said(string? party, Stance stance, DateTimeOffset statedAt, string source = "spokesperson") =>
        new(ClaimId, new Source(source, "official", party), stance, $"{source} on the claim", statedAt, null, "desk-editor");

    public static VerdictGiven Ruled(Verdict verdict, DateTimeOffset at) => new(ClaimId, verdict, "editor's ruling", at, "chief-editor");

    public static VerdictWithdrawn Withdrawn(DateTimeOffset at) => new(ClaimId, "the verdict went too far", at, "chief-editor");

    public static ClaimRetracted Retracted(DateTimeOffset at) => new(ClaimId, "source withdrew the story", at, "chief-editor");

    public static EvidenceAttached Evidence(Bearing bearing, DateTimeOffset observedAt) =>
        new(ClaimId, "satellite image", "https://example.org/image.png", "rail cars at the border", bearing, observedAt, "desk-editor");

    public static ClaimReported Reported(DateTimeOffset publishedAt) =>
        new(ClaimId, new Article("AP", "https://apnews.com/weapons", "Missiles again", publishedAt), "desk-editor");

    public static ClaimCorrected CorrectedStatement(
        long version, Stance? stance = null, DateTimeOffset? statedAt = null, string? quote = null) =>
        new(ClaimId, "wrong transcription", version, "Dmitry Peskov", null, stance, statedAt, quote, Day(27), "desk-editor");

    public static ClaimCorrected CorrectedText(string statement) =>
        new(ClaimId, "typo", null, null, statement, null, null, null, Day(27), "desk-editor");

    /// <summary>The write-side claim after its registration (version 1) and then <paramref name="events"/> (versions 2, 3, ...).</summary>
    public static Claim Given(params object[] events) => GivenClaim(Registered(), events);

    public static Claim GivenClaim(ClaimRegistered registered, params object[] events) =>
        events.Select((e, i) => (e, Version: i + 2L)).Aggregate(Claim.Create(registered), (claim, x) => claim.Then(x.Version, x.e));

    /// <summary>The events as Marten hands them to projections: versions 1 (the registration), 2, 3, ...</summary>
    public static IEvent[] Stored(params object[] events) =>
        [.. new object[] { Registered() }.Concat(events).Select((data, i) =>
        {
            var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
            (e.Version, e.StreamId) = (i + 1, ClaimId);
            return e;
        })];

    /// <summary>A correction decided after <paramref name="events"/>, with what it looks up found in their fact rows.</summary>
    public static Decision Correct(CorrectClaim command, params object[] events) => Correct(command, PartyDirectory.Empty, events);

    public static Decision Correct(CorrectClaim command, PartyDirectory parties, params object[] events)
    {
        var claim = Given(events);
        var rows = ClaimFact.Rows(Stored(events)).ToList();
        if (command.Parties is { } named)
        {
            var involved = named.Select(p => parties.Attribute(claim.Parties, p)!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            PartyStatement? LatestOf(string party, Func<Stance, bool> counts) =>
                rows.Where(r => r.IsStatement && r.Party == party && counts(r.Stance)).OrderByDescending(r => r.At).ThenByDescending(r => r.ClaimVersion)
                    .FirstOrDefault()?.Statement();
            var joining = involved.Where(p => claim.InvolvedParty(p) is null)
                .Select(p => new PartyStanding(p, LatestOf(p, s => s is Stance.Confirms or Stance.Denies), LatestOf(p, s => s is Stance.NotConfirmed)))
                .ToArray();
            return new CorrectClaim.Resolved(command, null, Claims.Besides.None) { Parties = involved, Joining = joining }
                .Decide(claim, Editor with { Parties = parties });
        }

        var target = rows.FirstOrDefault(r => r.ClaimVersion == command.CorrectsVersion);
        var party = claim.InvolvedParty(target?.Party);
        PartyStatement? Besides(Func<PartyStatement?> claims, Func<Stance, bool> counts) =>
            party is not null && claims()?.Version == target!.ClaimVersion
                ? rows.Where(r => r.Ruling is null && claim.InvolvedParty(r.Party) == party && r.ClaimVersion != target.ClaimVersion && counts(r.Stance))
                    .OrderByDescending(r => r.At).ThenByDescending(r => r.ClaimVersion).FirstOrDefault() is { } best
                    ? best.Statement() with { Party = party }
                    : null
                : null;
        var others = new Besides(
            Besides(() => claim.LatestOf(party!), s => s is Stance.Confirms or Stance.Denies),
            Besides(() => claim.NotConfirmedOf(party!), s => s is Stance.NotConfirmed));
        return new CorrectClaim.Resolved(command, target, others).Decide(claim, Editor with { Parties = parties });
    }

    /// <summary>The facts the status is derived from, folded as the summary folds them (versions 2, 3, ...).</summary>
    public static ClaimFacts Facts(params object[] events) => FactsOf(Registered(), events);

    public static ClaimFacts FactsOf(ClaimRegistered registered, params object[] events) =>
        events.Select((e, i) => (e, Version: i + 2L))
            .Aggregate(ClaimFacts.Start(registered.Parties, registered.FirstReport.PublishedAt), (facts, x) => facts.Then(x.Version, x.e));

    public static ClaimStatus StatusOf(params object[] events) => ConfirmationStatus.At(Facts(events)).Status;

    /// <summary>The field errors of a 400 problem, failing the test when the problem is anything else.</summary>
    public static IDictionary<string, string[]> FieldErrors(this ProblemDetails? problem)
    {
        problem.ShouldNotBeNull();
        problem.Status.ShouldBe(400);
        return problem.Extensions["errors"].ShouldBeAssignableTo<IDictionary<string, string[]>>()!;
    }

    /// <summary>Asserts the problem names exactly one field, with exactly this message.</summary>
    public static void ShouldNameOnly(this ProblemDetails? problem, string field, string message)
    {
        var errors = problem.FieldErrors();
        errors.Keys.ShouldBe([field]);
        errors[field].ShouldBe([message]);
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
