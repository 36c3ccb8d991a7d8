using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace ClaimsTracker.Bench;

/// <summary>
/// A second database in the same cluster, for the measures that need a store of their own: an empty one for the
/// import (P2), and one of many claims and a million events for the rebuild (P4) and the reads (P6).
/// </summary>
public static class BulkStore
{
    /// <summary>Creates (afresh) database <paramref name="name"/> next to the one of <paramref name="connectionString"/>.</summary>
    public static async Task<string> Create(string connectionString, string name)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Fills an empty store (schema made by the service) with <paramref name="claims"/> streams of
    /// <paramref name="eventsPerClaim"/> events by binary COPY into Marten's own tables, mt_streams and mt_events.
    /// The rows are copies of events the service itself wrote in the main database (its claim_registered and
    /// statement_recorded rows: JSON, .NET type, headers and actor exactly as Marten stores them) given new ids, so
    /// the projections fold them like any other. They are not in the public log: the service's sequencer integrates
    /// them when it first starts on the store, as it would an existing store's (L2). Returns the events written.
    /// </summary>
    public static async Task<long> Seed(string templateConnection, string target, int claims, int eventsPerClaim)
    {
        var (registered, statements, streamType) = await Templates(templateConnection);
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync();
        // the copied rows are consistent by construction; skip the per-row foreign-key trigger of mt_events
        await using (var replica = new NpgsqlCommand("set session_replication_role = replica", connection))
        {
            await replica.ExecuteNonQueryAsync();
        }

        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var step = TimeSpan.FromDays(29) / ((double)claims * eventsPerClaim);
        var ids = Enumerable.Range(0, claims).Select(_ => Guid.CreateVersion7()).ToArray();
        await using (var streams = await connection.BeginBinaryImportAsync(
            "copy claims.mt_streams (id, type, version, timestamp, created) from stdin (format binary)"))
        {
            for (var c = 0; c < claims; c++)
            {
                streams.StartRow();
                streams.Write(ids[c], NpgsqlDbType.Uuid);
                streams.Write(streamType, NpgsqlDbType.Varchar);
                streams.Write((long)eventsPerClaim, NpgsqlDbType.Bigint);
                streams.Write(start + (step * ((c + 1.0) * eventsPerClaim)), NpgsqlDbType.TimestampTz);
                streams.Write(start + (step * (c * (double)eventsPerClaim)), NpgsqlDbType.TimestampTz);
            }

            await streams.CompleteAsync();
        }

        long seq = 0;
        await using (var events = await connection.BeginBinaryImportAsync(
            "copy claims.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type, headers, user_name) from stdin (format binary)"))
        {
            // claim by claim, as writers spread over time would leave them interleaved: a few claims at a time
            const int Interleave = 8;
            for (var group = 0; group < claims; group += Interleave)
            {
                var members = Math.Min(Interleave, claims - group);
                for (var version = 1; version <= eventsPerClaim; version++)
                {
                    for (var m = 0; m < members; m++)
                    {
                        var c = group + m;
                        var row = version == 1 ? registered[c % registered.Count] : statements[(c + version) % statements.Count];
                        seq++;
                        events.StartRow();
                        events.Write(seq, NpgsqlDbType.Bigint);
                        events.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                        events.Write(ids[c], NpgsqlDbType.Uuid);
                        events.Write((long)version, NpgsqlDbType.Bigint);
                        events.Write(row.Data.Replace(row.ClaimId, ids[c].ToString(), StringComparison.Ordinal), NpgsqlDbType.Jsonb);
                        events.Write(row.Type, NpgsqlDbType.Varchar);
                        events.Write(start + (step * seq), NpgsqlDbType.TimestampTz);
                        events.Write(row.DotnetType, NpgsqlDbType.Varchar);
                        events.Write(row.Headers, NpgsqlDbType.Jsonb);
                        events.Write(row.Actor, NpgsqlDbType.Varchar);
                    }
                }
            }

            await events.CompleteAsync();
        }

        // each claim's summary, as the inline projection would have stored it, so the board and list (P6) can be read
        // before and whatever the rebuild (P4) does: the summary of the claim whose registration was copied, given the
        // new claim's id, version and last change. Its facts are that claim's few, not a hundred: the list reads
        // summaries without their facts, so the page costs the same. Status, parties, topics and statement are the columns
        // the service copies from each summary it writes (ClaimSummary.ConfigureMarten), for the list's filters.
        var summaries = await Summaries(templateConnection, registered);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy claims.mt_doc_claimsummary (id, data, mt_dotnet_type, last_changed_at, status, parties, topics, statement) from stdin (format binary)"))
        {
            var lastSeq = new long[claims];
            for (var group = 0; group < claims; group += 8)
            {
                var members = Math.Min(8, claims - group);
                for (var m = 0; m < members; m++)
                {
                    // the last event of claim group+m, in the interleaved order written above
                    lastSeq[group + m] = ((long)group * eventsPerClaim) + ((long)(eventsPerClaim - 1) * members) + m + 1;
                }
            }

            for (var c = 0; c < claims; c++)
            {
                var template = summaries[c % summaries.Count];
                var lastChanged = start + (step * lastSeq[c]);
                var summary = System.Text.Json.Nodes.JsonNode.Parse(template.Data.Replace(template.ClaimId, ids[c].ToString(), StringComparison.Ordinal))!;
                summary["version"] = eventsPerClaim;
                summary["lastChangedAt"] = lastChanged.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                copy.StartRow();
                copy.Write(ids[c], NpgsqlDbType.Uuid);
                copy.Write(summary.ToJsonString(), NpgsqlDbType.Jsonb);
                copy.Write(template.DotnetType, NpgsqlDbType.Varchar);
                copy.Write(lastChanged, NpgsqlDbType.TimestampTz);
                copy.Write(summary["status"]!.GetValue<string>(), NpgsqlDbType.Text);
                copy.Write(Strings(summary["parties"]), NpgsqlDbType.Array | NpgsqlDbType.Text);
                copy.Write(Strings(summary["topics"]), NpgsqlDbType.Array | NpgsqlDbType.Text);
                copy.Write(summary["statement"]!.GetValue<string>(), NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        // as pg_restore does: the statements' secondary indexes built once after their copy, not kept up row by row
        var secondary = new List<(string Name, string Definition)>();
        await using (var indexes = new NpgsqlCommand("""
            select indexrelid::regclass::text, pg_get_indexdef(indexrelid) from pg_index i
            where indrelid = 'claims.mt_doc_sourcestatement'::regclass and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
            """, connection))
        await using (var reader = await indexes.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                secondary.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in secondary)
        {
            await using var drop = new NpgsqlCommand($"drop index {name}", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await Sources(connection, templateConnection, statements, ids, eventsPerClaim);
        foreach (var (_, definition) in secondary)
        {
            await using var create = new NpgsqlCommand(definition, connection);
            await create.ExecuteNonQueryAsync();
        }

        await using (var sequence = new NpgsqlCommand($"select setval('claims.mt_events_sequence', {seq}); analyze claims.mt_events; analyze claims.mt_streams", connection))
        {
            await sequence.ExecuteNonQueryAsync();
        }

        // as an established store's daemon would have it: every async projection and subscription caught up, so the
        // reads (P6) are measured on a service at rest, not one replaying the million events from the first (the
        // rebuild, P4, replays them from the first whatever this says)
        await using (var caughtUp = new NpgsqlCommand("""
            insert into claims.mt_event_progression (name, last_seq_id)
            select shard, $1 from unnest(array['ReadModels:All', 'ClaimTimeline:All', 'SourceProfile:All', 'SourceStatement:All', 'SummaryCheckpoints:All', 'webhooks:All', 'HighWaterMark']) shard
            on conflict (name) do update set last_seq_id = excluded.last_seq_id
            """, connection))
        {
            caughtUp.Parameters.Add(new NpgsqlParameter { Value = seq });
            await caughtUp.ExecuteNonQueryAsync();
        }

        // as an established store's would be: visibility settled, so the first reads do not write hint bits
        // one command each: VACUUM cannot run in a transaction, and Npgsql sends several statements as one batch
        foreach (var table in new[] { "mt_doc_claimsummary", "mt_doc_sourcestatement", "mt_doc_sourceprofile" })
        {
            await using var vacuum = new NpgsqlCommand($"vacuum analyze claims.{table}", connection);
            await vacuum.ExecuteNonQueryAsync();
        }

        return seq;
    }

    /// <summary>
    /// What the sources projections (SourceProfileProjection, SourceStatementProjection) would have stored for the
    /// statements copied above: one statement document per statement_recorded row, keyed "{claim}/{version}", with the
    /// columns the service copies from it (source, claim, stance as the enum's name, world time), and one small profile
    /// per source with its latest role and party. Written in the order the events were, by binary COPY.
    /// </summary>
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

    /// <summary>A statement_recorded template as its statement document has it: all but the id, claim and version.</summary>
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

    /// <summary>The .NET type names Marten stores with the sources' documents, as the main store's service wrote them.</summary>
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

    /// <summary>How long an operation took, for progress lines.</summary>
    public static async Task<TimeSpan> Time(Func<Task> operation)
    {
        var clock = Stopwatch.StartNew();
        await operation();
        return clock.Elapsed;
    }
}
