using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

public static class StoreReset
{
    /// <summary>Marten's reset, and the public log's tables with it: the log is append-only and never empties itself.</summary>
    public static async Task ResetStore(this AppFixture fixture)
    {
        // stopped, not paused: a paused daemon keeps its high-water mark, and once Marten restarts the sequence at 1 its
        // shards pass over new events numbered below that mark; stopped, it starts again from the emptied store
        var coordinator = fixture.Host.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.StopAsync(CancellationToken.None);
        await fixture.Store.Advanced.ResetAllData();
        await coordinator.StartAsync(CancellationToken.None);
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var truncate = new NpgsqlCommand("truncate claims.log_state, claims.log_tiles, claims.log_runs", connection);
        await truncate.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until the public log's signed checkpoint covers every stored event.</summary>
    public static async Task LogCaughtUp(this AppFixture fixture)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var behind = new NpgsqlCommand("""
            select (select count(*) from claims.mt_events e where e.seq_id > coalesce((select last_sequence from claims.log_state), 0))
                 + (select count(*) from claims.log_state where checkpoint is null) + (select case when exists (select 1 from claims.log_state) then 0 else 1 end)
            """, connection);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await behind.ExecuteScalarAsync())! > 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the public log did not integrate every event within 30 s");
            await Task.Delay(20);
        }
    }
}
