using Npgsql;

namespace ClaimsTracker.Bench;

public static partial class BulkStore
{
    private static string[] Strings(System.Text.Json.Nodes.JsonNode? array) =>
        array!.AsArray().Select(x => x!.GetValue<string>()).ToArray();

    private sealed record Template(string ClaimId, string Type, string Data, string DotnetType, string Headers, string Actor);

    private static async Task<(List<Template> Registered, List<Template> Statements, string StreamType)> Templates(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rows = new List<Template>();
        await using (var query = new NpgsqlCommand("""
            (select stream_id, type, data::text, mt_dotnet_type, coalesce(headers, '{}')::text, coalesce(user_name, '') from claims.mt_events where type = 'claim_registered' order by seq_id limit 50)
            union all
            (select stream_id, type, data::text, mt_dotnet_type, coalesce(headers, '{}')::text, coalesce(user_name, '') from claims.mt_events where type = 'statement_recorded' order by seq_id limit 200)
            """, connection))
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(new Template(reader.GetGuid(0).ToString(), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5)));
            }
        }

        await using var type = new NpgsqlCommand("select type from claims.mt_streams where type is not null limit 1", connection);
        var streamType = (string?)await type.ExecuteScalarAsync() ?? "claim";
        var registered = rows.Where(r => r.Type == "claim_registered").ToList();
        if (registered.Count == 0)
        {
            throw new InvalidOperationException("no claim_registered event in the main database to copy");
        }

        var statements = rows.Where(r => r.Type == "statement_recorded").ToList();
        if (statements.Count == 0)
        {
            throw new InvalidOperationException("no statement_recorded event in the main database to copy");
        }

        return (registered, statements, streamType);
    }

    private static async Task<List<Template>> Summaries(string connectionString, List<Template> registered)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select id, data::text, mt_dotnet_type from claims.mt_doc_claimsummary where id = any($1)", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = registered.Select(r => Guid.Parse(r.ClaimId)).ToArray() });
        var summaries = new List<Template>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            summaries.Add(new Template(reader.GetGuid(0).ToString(), "summary", reader.GetString(1), reader.GetString(2), "", ""));
        }

        return summaries.Count > 0 ? summaries : throw new InvalidOperationException("no claim summary in the main database to copy");
    }
}
