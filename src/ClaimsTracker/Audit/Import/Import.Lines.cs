using System.Globalization;
using System.Text;
using System.Text.Json;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using ClaimsTracker.Parties;

namespace ClaimsTracker.Audit;

public static partial class ImportEndpoint
{
    public static (List<ImportedEvent> Events, SortedDictionary<string, List<string>> Errors) Parse(
        string text, IReadOnlyDictionary<string, Type> types, TimeProvider clock)
    {
        var events = new List<ImportedEvent>();
        var errors = new SortedDictionary<string, List<string>>(Comparer<string>.Create((a, b) =>
            int.Parse(a[5..], CultureInfo.InvariantCulture).CompareTo(int.Parse(b[5..], CultureInfo.InvariantCulture))));
        var versions = new Dictionary<Guid, long>();
        var lines = text.Split('\n');
        // each line read and held to the API's checks on its own, on every core; only the order is checked in one pass
        var read = new (ImportedEvent? Event, List<string> Problems, string[] Checks)[lines.Length];
        Parallel.For(0, lines.Length, i =>
        {
            var line = lines[i].Trim();
            var problems = new List<string>();
            var parsed = line.Length == 0 ? null : Read(line, types, problems);
            read[i] = (parsed, problems, parsed is { } e ? [.. ImportChecks.Of(e, clock)] : []);
        });
        for (var i = 0; i < lines.Length && errors.Count < MaxErrors; i++)
        {
            var (parsed, problems, checks) = read[i];
            if (parsed is { } e)
            {
                var expected = versions.GetValueOrDefault(e.StreamId) + 1;
                if (e.Version != expected)
                {
                    problems.Add($"version {e.Version} of stream {e.StreamId} comes where version {expected} was expected: lines must keep the export's order");
                }
                else if (expected == 1 && e.Data is not (ClaimRegistered or PartyRegistered))
                {
                    problems.Add("a stream's first event must be claim_registered (a claim) or party_registered (a party)");
                }
                else if (ClaimOf(e.Data) != e.StreamId)
                {
                    problems.Add("data.claimId differs from streamId");
                }
                else
                {
                    versions[e.StreamId] = e.Version;
                    problems.AddRange(checks);
                    if (problems.Count == 0)
                    {
                        events.Add(e with { Line = i + 1 });
                    }
                }
            }

            if (problems.Count > 0)
            {
                errors[$"line {i + 1}"] = problems;
            }
        }

        return (events, errors);
    }

    private static ImportedEvent? Read(string line, IReadOnlyDictionary<string, Type> types, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            problems.Add($"is not JSON: it {JsonBodies.Describe(e, Encoding.UTF8.GetBytes(line), null, Json.Options).Message}");
            return null;
        }

        using (document)
        {
            var o = document.RootElement;
            if (o.ValueKind != JsonValueKind.Object)
            {
                problems.Add("must be a JSON object");
                return null;
            }

            string? Text(string name) => o.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p.ToString() : null;
            var streamId = Guid.TryParse(Text("streamId"), out var id) ? id : (Guid?)null;
            var version = o.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 1
                ? n : (long?)null;
            var recordedAt = DateTimeOffset.TryParse(Text("recordedAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
                ? t : (DateTimeOffset?)null;
            var type = Text("type") is { } name && types.TryGetValue(name, out var known) ? known : null;
            if (streamId is null) problems.Add("streamId must be a UUID");
            if (version is null) problems.Add("version must be a whole number from 1");
            if (recordedAt is null) problems.Add("recordedAt must be an ISO 8601 time");
            if (type is null) problems.Add($"type '{Text("type")}' is not an event this service knows ({string.Join(", ", types.Keys.Order())})");
            object? data = null;
            if (type is not null)
            {
                try
                {
                    data = o.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d.Deserialize(type, Json.Options) : null;
                }
                catch (JsonException e)
                {
                    problems.Add(Unfit(type, $"{Text("type")}", e));
                }

                if (data is null && problems.Count == 0)
                {
                    problems.Add("data must be the event's JSON object");
                }
            }

            if (problems.Count > 0)
            {
                return null;
            }

            var headers = o.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
                ? h.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.ToString())
                : new Dictionary<string, object>();
            if (Text("idempotencyKey") is { } key)
            {
                headers["idempotencyKey"] = key;
            }

            return new ImportedEvent(0, streamId!.Value, version!.Value, data!, recordedAt!.Value, Text("actor"), Text("correlationId"),
                Text("causationId"), headers);
        }
    }

    private static string Unfit(Type type, string name, JsonException e)
    {
        var path = (e.Path ?? "$").TrimStart('$');
        if (MemberAt(type, path) is { IsEnum: true } words)
        {
            return $"data{path} {ClaimValidation.OneOf(words)}";
        }

        var fault = JsonBodies.WrongType(e, type, Json.Options);
        return $"data does not fit {name}: {(fault.Field == "body" ? "data" : $"data.{fault.Field}")} {fault.Message}";
    }

    private static Type? MemberAt(Type type, string path)
    {
        Type? member = type;
        foreach (var step in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = step.Split('[')[0];
            member = member?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            member = step.Contains('[', StringComparison.Ordinal) ? member?.GetElementType() : member;
        }

        return member is null ? null : Nullable.GetUnderlyingType(member) ?? member;
    }

    private static Guid? ClaimOf(object data) => data switch
    {
        ClaimRegistered e => e.ClaimId,
        ClaimReported e => e.ClaimId,
        StatementRecorded e => e.ClaimId,
        EvidenceAttached e => e.ClaimId,
        VerdictGiven e => e.ClaimId,
        ClaimCorrected e => e.ClaimId,
        ClaimRetracted e => e.ClaimId,
        VerdictWithdrawn e => e.ClaimId,
        ClaimRelated e => e.ClaimId,
        ClaimUnrelated e => e.ClaimId,
        PartyRegistered e => e.PartyId,
        PartyAliasAdded e => e.PartyId,
        _ => null,
    };
}
