using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaimsTracker.Audit.PublicLog;

namespace ClaimsTracker.Tests.PublicLog;

public class JcsTests
{
    [Theory]
    // RFC 8785 Appendix B: IEEE 754 binary64 values and their canonical form
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void numbers_are_written_as_the_rfc_8785_appendix_b_samples(string ieeeHex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(Convert.ToInt64(ieeeHex, 16));
        var json = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        Canonical(json).ShouldBe(expected);
        Canonical(new JsonArray(value)).ShouldBe($"[{expected}]");
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("-0.0", "0")]
    [InlineData("1E30", "1e+30")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("1e-6", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("123e18", "123000000000000000000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    public void numbers_take_the_ecmascript_form_whatever_their_spelling(string json, string expected)
    {
        Canonical(json).ShouldBe(expected);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void numbers_beyond_binary64_are_refused(string json)
    {
        Should.Throw<FormatException>(() => Jcs.Canonicalize(json));
    }

    [Fact]
    public void non_finite_numbers_are_refused()
    {
        Should.Throw<FormatException>(() => Jcs.Canonicalize(new JsonArray(double.NaN)));
        Should.Throw<FormatException>(() => Jcs.Canonicalize(new JsonObject { ["x"] = double.PositiveInfinity }));
        Should.Throw<FormatException>(() => Jcs.FormatNumber(double.NaN));
        Should.Throw<FormatException>(() => Jcs.FormatNumber(double.PositiveInfinity));
        Should.Throw<FormatException>(() => Jcs.FormatNumber(double.NegativeInfinity));
    }

    [Fact]
    public void the_rfc_8785_example_canonicalizes_as_published()
    {
        // RFC 8785 §3.2.3 (also cyberphone/json-canonicalization testdata/input/values.json)
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        Canonical(input).ShouldBe("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    [Fact]
    public void member_names_sort_by_utf16_code_units()
    {
        // RFC 8785 §3.2.3 sorting example: the emoji's surrogates (d83d) sort before U+FB33
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        var names = JsonDocument.Parse(Jcs.Canonicalize(input)).RootElement.EnumerateObject().Select(member => member.Name);

        names.ShouldBe(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"]);
    }

    [Fact]
    public void the_weird_test_file_canonicalizes_as_published()
    {
        // cyberphone/json-canonicalization testdata/input/weird.json and output/weird.json
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "1": "One",
              "\u0080": "Control\u007f",
              "\ud83d\ude02": "Smiley",
              "\u00f6": "Latin Small Letter O With Diaeresis",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "</script>": "Browser Challenge"
            }
            """;

        Canonical(input).ShouldBe(
            "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude02\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    [Fact]
    public void nested_structures_lose_their_whitespace_and_sort_at_every_level()
    {
        // cyberphone/json-canonicalization testdata/input/structures.json and output/structures.json
        const string input = """
            {
              "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
              "10": { },
              "": "empty",
              "a": { },
              "111": [ { } ],
              "A": { }
            }
            """;

        Canonical(input).ShouldBe("{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},\"10\":{},\"111\":[{}],\"A\":{},\"a\":{}}");
    }

    [Fact]
    public void strings_escape_only_quote_backslash_and_controls()
    {
        var node = new JsonObject { ["s"] = "\"\\\b\f\n\r\t\u0001\u001f\u007f/<>&'é€😀" };

        Canonical(node).ShouldBe("{\"s\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u007f/<>&'é€😀\"}");
    }

    [Fact]
    public void nodes_built_in_code_canonicalize_like_their_parsed_json()
    {
        var claimId = Guid.Parse("0199b1d2-3c4d-7e8f-9a0b-1c2d3e4f5a6b");
        var node = new JsonObject
        {
            ["version"] = 3,
            ["claimId"] = claimId,
            ["data"] = new JsonObject { ["z"] = 1.5m, ["a"] = new JsonArray(true, false, null) },
            ["recordedAt"] = "2025-01-02T03:04:05.678+00:00",
        };

        Canonical(node).ShouldBe("{\"claimId\":\"0199b1d2-3c4d-7e8f-9a0b-1c2d3e4f5a6b\",\"data\":{\"a\":[true,false,null],\"z\":1.5},"
            + "\"recordedAt\":\"2025-01-02T03:04:05.678+00:00\",\"version\":3}");
        Canonical(node).ShouldBe(Canonical(node.ToJsonString()));
        Canonical((JsonNode?)null).ShouldBe("null");
    }

    [Fact]
    public void duplicate_member_names_and_lone_surrogates_are_refused()
    {
        Should.Throw<FormatException>(() => Jcs.Canonicalize("{\"a\":1,\"a\":2}"));
        Should.Throw<FormatException>(() => Jcs.Canonicalize("[\"\\ud800\"]"));
    }

    private static string Canonical(string json) => Encoding.UTF8.GetString(Jcs.Canonicalize(json));

    private static string Canonical(JsonNode? node) => Encoding.UTF8.GetString(Jcs.Canonicalize(node));
}
