using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaimsTracker.Audit.PublicLog;

public static class Jcs
{
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Canonicalize(JsonNode? node)
    {
        if (node is null) return "null"u8.ToArray();
        string json;
        try
        {
            json = node.ToJsonString();
        }
        catch (ArgumentException error)
        {
            throw new FormatException($"The JSON cannot be canonicalized: {error.Message}", error);
        }
        return Canonicalize(json);
    }

    public static byte[] Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var canonical = new StringBuilder();
        try
        {
            Write(document.RootElement, canonical);
            return StrictUtf8.GetBytes(canonical.ToString());
        }
        catch (Exception error) when (error is EncoderFallbackException or InvalidOperationException)
        {
            throw new FormatException("The JSON holds a string that is not valid Unicode (a lone UTF-16 surrogate), which RFC 8785 cannot canonicalize.", error);
        }
    }

    internal static void Write(JsonElement element, StringBuilder output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject().Select(member => (member.Name, member.Value)).ToList();
                members.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
                output.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0 && members[i].Name == members[i - 1].Name)
                        throw new FormatException($"The JSON object has the member \"{members[i].Name}\" twice; RFC 8785 needs unique names.");
                    if (i > 0) output.Append(',');
                    WriteString(members[i].Name, output);
                    output.Append(':');
                    Write(members[i].Value, output);
                }
                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) output.Append(',');
                    first = false;
                    Write(item, output);
                }
                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                output.Append(FormatNumber(double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            default:
                output.Append("null");
                break;
        }
    }

    internal static void WriteString(string value, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case < ' ': output.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: output.Append(c); break;
            }
        }
        output.Append('"');
    }

    // ECMAScript Number::toString (RFC 8785 §3.2.2.3) applied to the shortest round-trip digits that .NET's "R" finds.
    internal static string FormatNumber(double value)
    {
        if (!double.IsFinite(value)) throw new FormatException($"{value} is not a JSON number; RFC 8785 has no form for it.");
        if (value == 0) return "0";
        var shortest = value.ToString("R", CultureInfo.InvariantCulture).TrimStart('-').Split('E');
        var exponent = shortest.Length > 1 ? int.Parse(shortest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = shortest[0].Split('.');
        var allDigits = mantissa[0] + (mantissa.Length > 1 ? mantissa[1] : "");
        var significant = allDigits.TrimStart('0');
        // value = 0.digits × 10^n, as the ECMAScript algorithm states it
        var n = mantissa[0].Length + exponent - (allDigits.Length - significant.Length);
        var digits = significant.TrimEnd('0');
        var k = digits.Length;

        var text = new StringBuilder(value < 0 ? "-" : "");
        if (k <= n && n <= 21) text.Append(digits).Append('0', n - k);
        else if (0 < n && n <= 21) text.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        else if (-6 < n && n <= 0) text.Append("0.").Append('0', -n).Append(digits);
        else
        {
            text.Append(digits[0]);
            if (k > 1) text.Append('.').Append(digits, 1, k - 1);
            text.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
