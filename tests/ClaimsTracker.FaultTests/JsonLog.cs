using System.Text;
using System.Text.Json;

namespace ClaimsTracker.FaultTests;

/// <summary>One line of the console's JSON format, with what its scopes say about the request it was written in.</summary>
public sealed record JsonLogEntry(string Level, string Category, string? TraceId, bool InRequest);

/// <summary>
/// The service's output under Logging:Console:FormatterName=json: the entries, and all their text decoded, so a key the
/// JSON writer escaped (\\u002B for '+') is still found.
/// </summary>
public sealed record JsonLog(IReadOnlyList<JsonLogEntry> Entries, IReadOnlyList<string> Other, string Text)
{
    public IReadOnlyList<JsonLogEntry> InRequests => Entries.Where(e => e.InRequest).ToList();

    public static JsonLog Read(IEnumerable<string> lines)
    {
        var entries = new List<JsonLogEntry>();
        var other = new List<string>();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            if (!line.StartsWith('{'))
            {
                other.Add(line);
                text.AppendLine(line);
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var scopes = root.TryGetProperty("Scopes", out var s) ? s.EnumerateArray().ToList() : [];
            string? Scope(string name) => scopes.Where(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty(name, out _))
                .Select(x => x.GetProperty(name).ToString()).FirstOrDefault();
            entries.Add(new JsonLogEntry(root.GetProperty("LogLevel").GetString()!, root.GetProperty("Category").GetString()!,
                Scope("TraceId"), Scope("RequestId") is not null));
            Strings(root, text);
        }

        return new JsonLog(entries, other, text.ToString());
    }

    private static void Strings(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    text.Append(property.Name).Append('=');
                    Strings(property.Value, text);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Strings(item, text);
                }

                break;
            default:
                text.AppendLine(element.ToString());
                break;
        }
    }
}
