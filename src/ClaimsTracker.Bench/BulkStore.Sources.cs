using Npgsql;
using NpgsqlTypes;

namespace ClaimsTracker.Bench;

public static partial class BulkStore
{
    // the sources projections' documents for the statements copied above, by binary COPY in event order
    private static async Task Sources(NpgsqlConnection connection, string templateConnection, List<Template> statements, Guid[] ids, int eventsPerClaim)
    {
        var said = statements.Select(Said.Of).ToArray();
        var (statementType, profileType) = await SourceTypes(templateConnection);
        var profiles = new Dictionary<string, (string Name, string? Role, string? Party)>();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy claims.mt_doc_sourcestatement (id, data, mt_dotnet_type, source_id, claim_id, stance, stated_at) from stdin (format binary)"))
        {
            const int Interleave = 8;
            for (var group = 0; group < ids.Length; group += Interleave)
            {
                var members = Math.Min(Interleave, ids.Length - group);
                for (var version = 2; version <= eventsPerClaim; version++)
                {
                    for (var m = 0; m < members; m++)
                    {
                        var c = group + m;
                        var s = said[(c + version) % said.Length];
                        var id = $"{ids[c]}/{version}";
                        copy.StartRow();
                        copy.Write(id, NpgsqlDbType.Varchar);
                        copy.Write($"{{\"id\":\"{id}\",\"sourceId\":\"{s.SourceId}\",\"claimId\":\"{ids[c]}\",\"claimVersion\":{version},{s.Rest}", NpgsqlDbType.Jsonb);
                        copy.Write(statementType, NpgsqlDbType.Varchar);
                        copy.Write(s.SourceId, NpgsqlDbType.Text);
                        copy.Write(ids[c], NpgsqlDbType.Uuid);
                        copy.Write(s.StanceName, NpgsqlDbType.Text);
                        copy.Write(s.StatedAt, NpgsqlDbType.TimestampTz);
                        var before = profiles.GetValueOrDefault(s.SourceId);
                        profiles[s.SourceId] = (s.Name, s.Role ?? before.Role, s.Party ?? before.Party);
                    }
                }
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy claims.mt_doc_sourceprofile (id, data, mt_dotnet_type) from stdin (format binary)"))
        {
            foreach (var (id, profile) in profiles)
            {
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Varchar);
                copy.Write(new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = id, ["name"] = profile.Name, ["role"] = profile.Role, ["party"] = profile.Party,
                }.ToJsonString(), NpgsqlDbType.Jsonb);
                copy.Write(profileType, NpgsqlDbType.Varchar);
            }

            await copy.CompleteAsync();
        }
    }

    private sealed record Said(string SourceId, string Name, string? Role, string? Party, string StanceName, DateTimeOffset StatedAt, string Rest)
    {
        public static Said Of(Template template)
        {
            var e = System.Text.Json.Nodes.JsonNode.Parse(template.Data)!;
            var source = e["source"]!;
            var (name, role, party) = (source["name"]!.GetValue<string>(), source["role"]?.GetValue<string>(), source["party"]?.GetValue<string>());
            var stance = e["stance"]!.GetValue<string>();
            var statedAt = e["statedAt"]!.GetValue<string>();
            var rest = new System.Text.Json.Nodes.JsonObject
            {
                ["stance"] = stance, ["quote"] = e["quote"]?.GetValue<string>(), ["statedAt"] = statedAt, ["party"] = party,
            }.ToJsonString();
            // the service's SourceId.Of: lower case, every run of other characters than letters and digits one dash
            var slug = string.Join('-', new string(name.Trim().ToLowerInvariant().Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray())
                .Split('-', StringSplitOptions.RemoveEmptyEntries));
            slug = slug.Length == 0 ? "source" : slug[..Math.Min(slug.Length, 120)];
            // the duplicated column holds the enum's name (confirms → Confirms, declines_to_comment → DeclinesToComment)
            var stanceName = string.Concat(stance.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            return new(slug, name, role, party, stanceName, DateTimeOffset.Parse(statedAt, System.Globalization.CultureInfo.InvariantCulture), rest[1..]);
        }
    }

    private static async Task<(string Statement, string Profile)> SourceTypes(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("""
            select (select mt_dotnet_type from claims.mt_doc_sourcestatement limit 1), (select mt_dotnet_type from claims.mt_doc_sourceprofile limit 1)
            """, connection);
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.IsDBNull(0) ? "ClaimsTracker.Sources.SourceStatement" : reader.GetString(0),
            reader.IsDBNull(1) ? "ClaimsTracker.Sources.SourceProfile" : reader.GetString(1));
    }
}
