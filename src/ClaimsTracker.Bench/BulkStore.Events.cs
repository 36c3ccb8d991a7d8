using Npgsql;
using NpgsqlTypes;

namespace ClaimsTracker.Bench;

public static partial class BulkStore
{
    private static async Task<long> CopyEvents(
        NpgsqlConnection connection, List<Template> registered, List<Template> statements, string streamType, Guid[] ids, int eventsPerClaim,
        DateTimeOffset start, TimeSpan step)
    {
        var claims = ids.Length;
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

        return seq;
    }

    // each claim's summary as the inline projection stores it, so P6 can read the board before and whatever the rebuild does
    private static async Task CopySummaries(
        NpgsqlConnection connection, List<Template> summaries, Guid[] ids, int eventsPerClaim, DateTimeOffset start, TimeSpan step)
    {
        var claims = ids.Length;
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
    }
}
