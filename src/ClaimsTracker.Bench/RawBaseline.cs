using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace ClaimsTracker.Bench;

/// <summary>Plain Npgsql doing the equivalent work on the same database: the limit the service is held to.</summary>
public sealed class RawBaseline(string connectionString)
{
    private const string Row = """{"claimId":"0198a1b2-0000-7000-8000-000000000000","source":{"name":"Dmitry Peskov","role":"Kremlin spokesperson","party":"Russia"},"stance":"confirms","quote":"On the record.","statedAt":"2024-02-20T09:00:00Z","recordedBy":"bench"}""";

    public async Task Prepare()
    {
        await Execute("""
            drop schema if exists bench_raw cascade;
            create schema bench_raw;
            create table bench_raw.rows (id bigserial primary key, stream uuid not null, data jsonb not null, at timestamptz not null default now());
            create table bench_raw.copied (id bigserial primary key, stream uuid not null, data jsonb not null);
            """);
    }

    public async Task<double> InsertCommitRate(int connections, TimeSpan duration)
    {
        var deadline = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("insert into bench_raw.rows (stream, data) values ($1, $2)", connection);
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = Guid.NewGuid() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = Row });
            await insert.PrepareAsync();
            var done = 0;
            while (deadline.Elapsed < duration)
            {
                await insert.ExecuteNonQueryAsync();
                done++;
            }

            return done;
        }));
        return counts.Sum() / deadline.Elapsed.TotalSeconds;
    }

    public async Task<double> CopyRate(int rows)
    {
        await Execute("truncate bench_raw.copied");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        await using (var writer = await connection.BeginBinaryImportAsync("copy bench_raw.copied (stream, data) from stdin (format binary)"))
        {
            var stream = Guid.NewGuid();
            for (var i = 0; i < rows; i++)
            {
                if (i % 10 == 0)
                {
                    stream = Guid.NewGuid();
                }

                await writer.StartRowAsync();
                await writer.WriteAsync(stream, NpgsqlDbType.Uuid);
                await writer.WriteAsync(Row, NpgsqlDbType.Jsonb);
            }

            await writer.CompleteAsync();
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    public async Task<IReadOnlyDictionary<string, string>> Settings()
    {
        var names = new[] { "server_version", "shared_buffers", "fsync", "synchronous_commit", "wal_level", "max_connections", "work_mem" };
        var settings = new Dictionary<string, string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var name in names)
        {
            await using var show = new NpgsqlCommand($"show {name}", connection);
            settings[name] = (string)(await show.ExecuteScalarAsync())!;
        }

        return settings;
    }

    public async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
