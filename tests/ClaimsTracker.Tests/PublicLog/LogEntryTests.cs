using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Audit.PublicLog;
using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Tests.PublicLog;

public sealed class LogEntryTests
{
    private static readonly Guid Claim = Guid.Parse("0195f0c4-0000-7000-8000-000000000001");

    public static TheoryData<StoredEvent> Events => new()
    {
        new StoredEvent(1, Claim, 1, "claim_registered", new DateTimeOffset(2026, 12, 5, 19, 36, 26, TimeSpan.Zero).AddTicks(7_322_000),
            """{"claimId":"0195f0c4-0000-7000-8000-000000000001","statement":"Ким «сказал» \"yes\" \\ 🚀","parties":["Russia","North Korea"],"firstReport":{"publishedAt":"2024-02-20T00:00:00+00:00","url":null},"n":1.50}""",
            "editor", "corr", "cause", "key-1"),
        new StoredEvent(2, Claim, 2, "statement_recorded", new DateTimeOffset(2026, 12, 5, 19, 36, 26, TimeSpan.Zero),
            """{"statedAt":"2024-02-21T09:00:00+00:00","quote":"tab\there\u0001","source":{"party":null,"name":"A"}}""",
            null, null, null, null),
        new StoredEvent(3, Claim, 3, "claim_rereported", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(10),
            """{"publishedAt":"2024-02-22T00:00:00+00:00"}""", "legacy", null, null, null),
        new StoredEvent(4, Claim, 4, "claim_forged", DateTimeOffset.UnixEpoch, """{"statedAt":5}""", "x", null, null, null),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void the_one_pass_entry_is_the_jcs_of_the_contracts_entry_object_and_exports_carry_that_object(StoredEvent e)
    {
        // the contract's entry, built member by member from the stored row and canonicalised by the general JCS
        var data = JsonNode.Parse(e.DataJson);
        var contract = new JsonObject
        {
            ["claimId"] = e.StreamId.ToString(),
            ["version"] = e.Version,
            ["type"] = e.Type,
            ["data"] = data,
            ["recordedAt"] = JsonSerializer.SerializeToNode(Json.Stored(e.RecordedAt.ToUniversalTime()), Json.Options),
            ["worldAt"] = e.Type switch
            {
                "claim_registered" => data?["firstReport"]?["publishedAt"]?.DeepClone(),
                "statement_recorded" => data?["statedAt"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.DeepClone() : null,
                "claim_rereported" => data?["publishedAt"]?.DeepClone(),
                _ => null,
            },
            ["actor"] = e.Actor,
            ["correlationId"] = e.CorrelationId,
            ["causationId"] = e.CausationId,
            ["idempotencyKey"] = e.IdempotencyKey,
        };

        Encoding.UTF8.GetString(LogEntry.Bytes(e)).ShouldBe(Encoding.UTF8.GetString(Jcs.Canonicalize(contract)));
        Jcs.Canonicalize(LogEntry.Object(e)).ShouldBe(LogEntry.Bytes(e));
    }

    [Fact]
    public void the_world_time_is_the_stored_string_of_the_events_own_field()
    {
        var registered = new StoredEvent(1, Claim, 1, "claim_registered", DateTimeOffset.UnixEpoch,
            """{"firstReport":{"publishedAt":"2024-02-20T00:00:00+00:00"}}""", null, null, null, null);

        LogEntry.Object(registered)["worldAt"]!.ToString().ShouldBe("2024-02-20T00:00:00+00:00");
        Encoding.UTF8.GetString(LogEntry.Bytes(registered)).ShouldContain("\"worldAt\":\"2024-02-20T00:00:00+00:00\"}");
    }
}
