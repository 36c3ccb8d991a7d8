using Npgsql;

namespace ClaimsTracker.Bench;

public sealed record StatementWork(string Statement, double CallsPerWrite, double MillisecondsPerWrite);

/// <summary>What PostgreSQL spent its time on during a phase; empty when pg_stat_statements is not loaded.</summary>
public sealed class DatabaseWork(string connectionString)
{
    public async Task<bool> Reset()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()", connection);
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    public async Task<List<StatementWork>> Per(double writes, int top = 12)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select left(regexp_replace(query, '\s+', ' ', 'g'), 90), calls, total_exec_time
            from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
            order by total_exec_time desc limit $1
            """, connection) { Parameters = { new() { Value = top } } };
        var work = new List<StatementWork>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            work.Add(new(reader.GetString(0), reader.GetInt64(1) / writes, reader.GetDouble(2) / writes));
        }

        return work;
    }
}
