using System.Text.Json;
using ClaimsTracker.Audit;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using static ClaimsTracker.Tests.ClaimStory;

namespace ClaimsTracker.Tests;

public sealed class AuditReplayAndImportTests
{
    private static readonly Dictionary<string, Type> Types = new()
    {
        ["claim_registered"] = typeof(ClaimRegistered), ["statement_recorded"] = typeof(StatementRecorded),
        ["verdict_given"] = typeof(VerdictGiven), ["claim_reported"] = typeof(ClaimReported), ["claim_corrected"] = typeof(ClaimCorrected),
    };

    [Fact]
    public void a_replay_page_folded_on_the_claim_before_it_has_the_steps_of_a_replay_from_the_start()
    {
        var events = Stream(
            Registered(), Said(Russia, Stance.Confirms, Day(21)), Said(null, Stance.Asserts, Day(22), "Reuters"),
            Said(NorthKorea, Stance.Denies, Day(23)), Said(Russia, Stance.Denies, Day(20)), Said(NorthKorea, Stance.Confirms, Day(24)));
        var whole = ClaimReplay.Steps(ClaimId, null, events);

        var before = events.Take(3).Aggregate((ClaimSummary?)null, ClaimSummaryProjection.Fold);
        var page = ClaimReplay.Steps(ClaimId, before, events.Skip(3).ToList());

        JsonSerializer.Serialize(page).ShouldBe(JsonSerializer.Serialize(whole.Skip(3)));
    }

    [Fact]
    public void replay_names_what_each_event_changed_and_a_third_party_moves_only_the_counts()
    {
        var steps = ClaimReplay.Steps(ClaimId, null, Stream(
            Registered(), Said(Russia, Stance.Confirms, Day(21)), Said(null, Stance.Asserts, Day(22), "Reuters"),
            Said(NorthKorea, Stance.Denies, Day(23))));

        steps.Select(s => s.Status).ShouldBe([ClaimStatus.Unconfirmed, ClaimStatus.PartiallyConfirmed, ClaimStatus.PartiallyConfirmed, ClaimStatus.Disputed]);
        Changes(steps[1]).ShouldBe(["status: unconfirmed -> partially_confirmed", "stance of Russia: open -> confirms",
            "count of statements: 0 -> 1", "count of partyStatements: 0 -> 1"], ignoreOrder: true);
        Changes(steps[2]).ShouldBe(["count of statements: 1 -> 2", "count of thirdPartyAssertions: 0 -> 1"], ignoreOrder: true);
        Changes(steps[3]).ShouldContain("stance of North Korea: open -> denies");
        steps[0].Changes.ShouldContain(c => c.What == "status" && c.From == null && c.To == "unconfirmed");
    }

    [Fact]
    public void import_reads_good_lines_and_reports_each_bad_one_by_number()
    {
        var registered = Line(1, "claim_registered", Registered());
        var statement = Line(2, "statement_recorded", Said(Russia, Stance.Confirms, Day(21)));
        var text = string.Join('\n',
            registered, "", statement,
            Line(4, "statement_recorded", Said(Russia, Stance.Denies, Day(22))),
            Line(3, "statement_recorded", Said(Russia, Stance.Denies, Day(22)) with { ClaimId = Guid.NewGuid() }),
            "[1, 2]",
            Line(3, "statement_whispered", Said(Russia, Stance.Denies, Day(22))));

        var (events, errors) = ImportEndpoint.Parse(text, Types, TimeProvider.System);

        events.Select(e => (e.Line, e.Version)).ShouldBe([(1, 1L), (3, 2L)]);
        events[0].Actor.ShouldBe("desk-editor");
        events[0].Headers["idempotencyKey"].ShouldBe("key-1");
        errors.Keys.ShouldBe(["line 4", "line 5", "line 6", "line 7"]);
        errors["line 4"].Single().ShouldContain("version 4");
        errors["line 5"].Single().ShouldBe("data.claimId differs from streamId");
        errors["line 6"].Single().ShouldBe("must be a JSON object");
        errors["line 7"].Single().ShouldStartWith("type 'statement_whispered' is not an event this service knows");
    }

    [Fact]
    public void import_holds_each_event_to_the_field_checks_of_the_api_write_that_records_it()
    {
        var registered = Registered();
        var text = string.Join('\n',
            Line(1, "claim_registered", registered with { FirstReport = registered.FirstReport with { Url = "ftp://example.org/weapons" } }),
            Line(2, "statement_recorded", Said(Russia, Stance.Confirms, Day(21)) with { Quote = new string('q', 4_001) }),
            Line(3, "verdict_given", Ruled(Verdict.False, DateTimeOffset.UtcNow.AddDays(1))),
            Line(4, "claim_reported", Reported(Day(22)) with { Article = Reported(Day(22)).Article with { Outlet = " " } }),
            Line(5, "claim_corrected", CorrectedStatement(2, statedAt: Day(23)) with { CorrectsVersion = null }),
            Line(6, "statement_recorded", Said(Russia, Stance.Denies, Day(24))).Replace("\"denies\"", "\"shrugs\"", StringComparison.Ordinal));

        var (events, errors) = ImportEndpoint.Parse(text, Types, TimeProvider.System);

        events.ShouldBeEmpty();
        errors["line 1"].ShouldBe(["data.firstReport.url must be an absolute http or https URL"]);
        errors["line 2"].ShouldBe(["data.quote must be at most 4000 characters (got 4001)"]);
        errors["line 3"].ShouldBe(["data.givenAt must not be in the future"]);
        errors["line 4"].ShouldBe(["data.article.outlet is required and must not be blank"]);
        errors["line 5"].ShouldBe(["data.correctsVersion is required to correct a statement's source, stance, quote, quoteKind or statedAt"]);
        errors["line 6"].ShouldBe(["data.stance must be one of: confirms, denies, declines_to_comment, asserts, not_confirmed"]);
    }

    private static List<IEvent> Stream(params object[] data) => data.Select((d, i) => (IEvent)new Event<object>(d)
    {
        StreamId = ClaimId, Version = i + 1, Sequence = i + 1, Timestamp = Day(28).AddMinutes(i), UserName = "desk-editor",
    }).ToList();

    private static string Line(long version, string type, object data) => JsonSerializer.Serialize(new
    {
        streamId = ClaimId, version, type, recordedAt = Day(28), actor = "desk-editor", correlationId = "c-1",
        idempotencyKey = $"key-{version}", data = JsonSerializer.SerializeToNode(data, data.GetType(), Json.Options),
    });

    private static List<string> Changes(ReplayStep step) => step.Changes.Select(c => $"{c.What}: {c.From} -> {c.To}").ToList();
}
