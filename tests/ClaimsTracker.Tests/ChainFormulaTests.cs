using System.Text;
using ClaimsTracker.Audit;
using ClaimsTracker.Infrastructure;

namespace ClaimsTracker.Tests;

public sealed class ChainFormulaTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("unit-test-key");

    private static readonly SealedContent Content = new(Guid.Parse("0195f0c4-0000-7000-8000-000000000001"), 2, "statement_recorded",
        new DateTimeOffset(2024, 2, 21, 9, 0, 0, TimeSpan.Zero).AddTicks(1230), """{"stance":"confirms","quote":"Ñ \"yes\""}""",
        "editor", "corr-1", "cause-1", "key-1");

    [Fact]
    public void canonical_json_ignores_key_order_spacing_and_escaping_but_not_values()
    {
        var service = """{"quote":"\u00D1 \"yes\"","stance":"confirms","nested":{"b":1,"a":[2,{"y":null,"x":true}]}}""";
        var jsonb = """{"nested": {"a": [2, {"x": true, "y": null}], "b": 1}, "quote": "Ñ \"yes\"", "stance": "confirms"}""";

        ChainFormula.Canonical(jsonb).ShouldBe(ChainFormula.Canonical(service));
        ChainFormula.Canonical(service).ShouldBe("""{"nested":{"a":[2,{"x":true,"y":null}],"b":1},"quote":"Ñ \"yes\"","stance":"confirms"}""");
        ChainFormula.Canonical(jsonb.Replace("confirms", "denies", StringComparison.Ordinal)).ShouldNotBe(ChainFormula.Canonical(service));
    }

    [Fact]
    public void the_link_changes_with_every_field_it_covers_and_with_the_key()
    {
        var link = ChainFormula.Link(Key, Content, 7, "previous-in-stream", "previous-in-ledger");

        link.Length.ShouldBe(64);
        ChainFormula.Link(Key, Content with { }, 7, "previous-in-stream", "previous-in-ledger").ShouldBe(link);
        string[] variants =
        [
            ChainFormula.Link(Key, Content with { Version = 3 }, 7, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content with { Type = "claim_reported" }, 7, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content with { RecordedAt = Content.RecordedAt.AddTicks(-10) }, 7, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content with { DataJson = """{"stance":"denies","quote":"Ñ \"yes\""}""" }, 7, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content with { Actor = "someone-else" }, 7, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content with { CorrelationId = null }, 7, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content with { IdempotencyKey = "key-2" }, 7, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content, 8, "previous-in-stream", "previous-in-ledger"),
            ChainFormula.Link(Key, Content, 7, "another", "previous-in-ledger"),
            ChainFormula.Link(Key, Content, 7, "previous-in-stream", "another"),
            ChainFormula.Link(Encoding.UTF8.GetBytes("another-key"), Content, 7, "previous-in-stream", "previous-in-ledger"),
        ];
        variants.ShouldAllBe(v => v != link);
        variants.Distinct().Count().ShouldBe(variants.Length);
    }

    [Fact]
    public void recorded_time_is_sealed_at_the_microsecond_postgresql_keeps()
    {
        var precise = new DateTimeOffset(2024, 2, 21, 9, 0, 0, TimeSpan.Zero).AddTicks(1237);

        Json.Stored(precise).ShouldBe(precise.AddTicks(-7));
        ChainFormula.Link(Key, Content with { RecordedAt = precise }, 1, "g", "g")
            .ShouldBe(ChainFormula.Link(Key, Content with { RecordedAt = Json.Stored(precise) }, 1, "g", "g"));
    }
}
