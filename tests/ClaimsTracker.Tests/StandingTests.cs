using ClaimsTracker.Claims;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

/// <summary>
/// The bounded write-side claim followed event by event (<see cref="Claim.Then"/>, as writes, the summary and the
/// webhook relay fold it) against the rule itself (<see cref="ConfirmationStatus.At"/> over all facts).
/// </summary>
public sealed class StandingTests
{
    private static readonly Stance[] Stances = Enum.GetValues<Stance>();
    private static readonly Verdict[] Verdicts = Enum.GetValues<Verdict>();

    /// <summary>Where a re-attribution may send a statement: each involved party under its name or an alias, a third party, none.</summary>
    private static readonly string?[] Attributions = [Russia, "Kremlin", NorthKorea, " dprk ", "South Korea", null];

    private static readonly Parties.PartyDirectory Registry = Parties.PartyDirectory.Of([
        new Parties.Party(Guid.NewGuid(), Russia, ["Kremlin"], "Q159", 1),
        new Parties.Party(Guid.NewGuid(), NorthKorea, ["DPRK"], "Q423", 1)]);

    [Fact]
    public void followed_event_by_event_the_status_is_the_rules_after_every_event_of_many_random_claims()
    {
        var random = new Random(20240220);
        var checkedEvents = 0;
        var (reattributed, taken) = (0, 0);
        for (var story = 0; story < 400; story++)
        {
            var history = new List<object>();
            var claim = Given();
            var timeline = StatusTimeline.Of(Facts());
            var statementVersions = new List<long>();
            for (var n = random.Next(1, 40); n > 0; n--)
            {
                var e = NextEvent(random, statementVersions);
                if (e is ClaimCorrected c)
                {
                    // as the write decides it: with where it leaves the party
                    var statedAt = c.StatedAt is { } t ? new TimeInput(Text(new WorldTime(t, c.StatedAtPrecision ?? TimePrecision.Instant))) : (TimeInput?)null;
                    e = Correct(new CorrectClaim(c.Reason, null, c.CorrectsVersion, c.Stance is { } s ? Words.Of(s) : null, statedAt, null, null,
                        c.Source is { } to ? new SourceInput(to.Name, to.Role, to.Party) : null), Registry, [.. history]).Events.ShouldHaveSingleItem();
                }

                history.Add(e);
                var version = history.Count + 1L;
                if (e is StatementRecorded)
                {
                    statementVersions.Add(version);
                }

                claim = claim.Then(version, e);
                var facts = Facts([.. history]);
                claim.Status.ShouldBe(ConfirmationStatus.At(facts).Status, $"story {story}, after event {version}: {e}");
                claim.Latest.ShouldBe(ConfirmationStatus.At(facts).Parties.Select(p => p.Because).ToArray(), $"story {story}, after event {version}");
                claim.NotConfirmed.ShouldBe(ConfirmationStatus.At(facts).Parties.Select(p => p.NotConfirmed).ToArray(), $"story {story}, after event {version}");
                // as the timeline projection keeps it: one fact at a time, derived again from all of them when it cannot
                var took = timeline.Then(version, e);
                timeline = took ? timeline : StatusTimeline.Of(facts);
                timeline.Intervals.ShouldBe(ConfirmationStatus.Timeline(facts), $"story {story}, after event {version}: {e}");
                taken += took ? 1 : 0;
                reattributed += e is ClaimCorrected { Source: not null } ? 1 : 0;
                checkedEvents++;
            }
        }

        checkedEvents.ShouldBeGreaterThan(5_000);
        reattributed.ShouldBeGreaterThan(500);
        taken.ShouldBeGreaterThan(1_000);
    }

    [Fact]
    public void a_statement_appended_to_earlier_facts_leaves_them_and_their_other_successors_as_they_were()
    {
        var start = Facts(Said(Russia, Stance.Confirms, Day(21)));
        var one = start.Then(3, Said(NorthKorea, Stance.Denies, Day(22)));
        var other = start.Then(3, Said(NorthKorea, Stance.Confirms, Day(23)));
        var longer = one.Then(4, Said(Russia, Stance.Denies, Day(24)));

        start.Statements.Count.ShouldBe(1);
        one.Statements.Select(s => s.Stance).ShouldBe([Stance.Confirms, Stance.Denies]);
        other.Statements.Select(s => s.Stance).ShouldBe([Stance.Confirms, Stance.Confirms]);
        longer.Statements.Select(s => s.Stance).ShouldBe([Stance.Confirms, Stance.Denies, Stance.Denies]);
        ConfirmationStatus.At(one).Status.ShouldBe(ClaimStatus.Disputed);
        ConfirmationStatus.At(other).Status.ShouldBe(ClaimStatus.Confirmed);
    }

    [Fact]
    public void the_shared_statement_list_round_trips_through_json_as_a_plain_array()
    {
        var facts = Facts(Said(Russia, Stance.Confirms, Day(21)), Said(NorthKorea, Stance.Denies, Day(22)));

        var json = System.Text.Json.JsonSerializer.Serialize(facts, Infrastructure.Json.Options);
        var read = System.Text.Json.JsonSerializer.Deserialize<ClaimFacts>(json, Infrastructure.Json.Options)!;

        json.ShouldContain("\"statements\":[{");
        read.Statements.Select(s => (s.Version, s.Party, s.Stance)).ShouldBe([(2L, Russia, Stance.Confirms), (3L, NorthKorea, Stance.Denies)]);
        read.Then(4, Said(Russia, Stance.Denies, Day(23))).Statements.Count.ShouldBe(3);
        read.Statements.Count.ShouldBe(2);
    }

    private static object NextEvent(Random random, List<long> statementVersions)
    {
        var at = Day(random.Next(18, 29), random.Next(0, 24));
        var pick = random.Next(100);
        return pick switch
        {
            < 60 => Said(random.Next(4) switch { 0 => Russia, 1 => NorthKorea, 2 => "north korea", _ => null },
                Stances[random.Next(Stances.Length)], at) with { StatedAt = Imprecise(random, at, out var precision), StatedAtPrecision = precision },
            < 70 => Ruled(Verdicts[random.Next(Verdicts.Length)], at),
            < 75 => Withdrawn(at),
            < 80 => Retracted(at),
            < 95 when statementVersions.Count > 0 => Imprecise(random, CorrectedStatement(
                statementVersions[random.Next(statementVersions.Count)],
                random.Next(2) == 0 ? Stances[random.Next(Stances.Length)] : null,
                random.Next(2) == 0 ? Day(random.Next(18, 29), random.Next(0, 24)) : null) with
                {
                    Source = random.Next(2) == 0 ? new Source("another source", "official", Attributions[random.Next(Attributions.Length)]) : null,
                }),
            _ => Evidence(Bearing.Supports, at),
        };
    }

    /// <summary>Half the times as instants, the rest known only to their day, month (January or February) or year.</summary>
    private static ClaimCorrected Imprecise(Random random, ClaimCorrected c) => c.StatedAt is { } t
        ? c with { StatedAt = Imprecise(random, t, out var precision), StatedAtPrecision = precision }
        : c;

    private static DateTimeOffset Imprecise(Random random, DateTimeOffset at, out TimePrecision precision)
    {
        var time = Imprecise(random, at);
        precision = time.Precision;
        return time.Start;
    }

    private static WorldTime Imprecise(Random random, DateTimeOffset at) => random.Next(10) switch
    {
        < 5 => new WorldTime(at),
        < 7 => new WorldTime(new DateTimeOffset(at.Date, TimeSpan.Zero), TimePrecision.Day),
        < 9 => new WorldTime(new DateTimeOffset(2024, random.Next(1, 3), 1, 0, 0, 0, TimeSpan.Zero), TimePrecision.Month),
        _ => new WorldTime(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), TimePrecision.Year),
    };

    private static string Text(WorldTime time) => time.Precision switch
    {
        TimePrecision.Day => time.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        TimePrecision.Month => time.Start.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        TimePrecision.Year => time.Start.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture),
        _ => time.Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };
}
