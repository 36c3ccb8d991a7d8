using System.Diagnostics;
using Npgsql;

namespace ClaimsTracker.Bench;

public static partial class BulkStore
{
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

    /// <summary>Fills an empty store by binary COPY of events the service wrote, given new ids; the log integrates them at first start (L2).</summary>
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
        var seq = await CopyEvents(connection, registered, statements, streamType, ids, eventsPerClaim, start, step);
        await CopySummaries(connection, await Summaries(templateConnection, registered), ids, eventsPerClaim, start, step);

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

        // every async projection caught up, as an established store's daemon would have it, so P6 reads a service at rest
        await using (var caughtUp = new NpgsqlCommand("""
            insert into claims.mt_event_progression (name, last_seq_id)
            select shard, $1 from unnest(array['ReadModels:All', 'ClaimTimeline:All', 'SourceProfile:All', 'SourceStatement:All', 'SummaryCheckpoints:All', 'webhooks:All', 'HighWaterMark']) shard
            on conflict (name) do update set last_seq_id = excluded.last_seq_id
            """, connection))
        {
            caughtUp.Parameters.Add(new NpgsqlParameter { Value = seq });
            await caughtUp.ExecuteNonQueryAsync();
        }

        // visibility settled so the first reads write no hint bits; one command each, as VACUUM cannot run in a batch
        foreach (var table in new[] { "mt_doc_claimsummary", "mt_doc_sourcestatement", "mt_doc_sourceprofile" })
        {
            await using var vacuum = new NpgsqlCommand($"vacuum analyze claims.{table}", connection);
            await vacuum.ExecuteNonQueryAsync();
        }

        return seq;
    }

    public static async Task<TimeSpan> Time(Func<Task> operation)
    {
        var clock = Stopwatch.StartNew();
        await operation();
        return clock.Elapsed;
    }
}
