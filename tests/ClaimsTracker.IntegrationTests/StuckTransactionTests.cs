using System.Diagnostics;
using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Xunit.Abstractions;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// A sequence gap left by an event insert that has not committed yet must hold the async projections back
/// rather than be skipped (its event would never be projected), and must stop holding them once that
/// transaction is gone. An unrelated idle-in-transaction session must not hold them at all. The stuck writer is
/// an insert of a claim's stream and first event inside a transaction this test keeps open, as Marten's own daemon
/// tests do.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StuckTransactionTests(AppFixture fixture, ITestOutputHelper output) : IntegrationContext(fixture)
{
    // longer than the daemon's StaleSequenceThreshold (3 s), after which a gap with no live writer is skipped
    private static readonly TimeSpan PastTheStaleThreshold = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task an_uncommitted_event_insert_holds_projections_back_and_its_event_is_projected_once_it_commits()
    {
        var template = await Api.RegisteredClaim();
        await ProjectionsCaughtUp();
        await using var stuck = await UncommittedRegistration(template, Fixture.ConnectionString);
        var later = await RegisterSome(5);
        await Task.Delay(PastTheStaleThreshold);

        var heldAt = await Scalar<long>("select last_seq_id from claims.mt_event_progression where name = 'ClaimTimeline:All'");
        var logHeldAt = await Scalar<long>("select last_sequence from claims.log_state");
        await stuck.Transaction.CommitAsync();
        var clock = Stopwatch.StartNew();
        await ProjectionsCaughtUp();

        heldAt.ShouldBeLessThan(stuck.Sequence, "the daemon skipped a gap whose writer was still alive");
        logHeldAt.ShouldBeLessThan(stuck.Sequence, "the public log skipped a gap whose writer was still alive");
        (await TimelinesOf([stuck.ClaimId, .. later])).ShouldBe(later.Length + 1);
        output.WriteLine($"stuck insert: held at {heldAt} below seq {stuck.Sequence} for {PastTheStaleThreshold.TotalSeconds} s; " +
                         $"caught up {clock.ElapsedMilliseconds} ms after the commit; {later.Length + 1} events verified, 0 skipped");
    }

    [Fact]
    public async Task a_writer_that_dies_mid_transaction_does_not_stall_the_projections_forever()
    {
        var template = await Api.RegisteredClaim();
        await ProjectionsCaughtUp();
        await using var stuck = await UncommittedRegistration(template, Fixture.ConnectionString);
        var later = await RegisterSome(5);
        await Task.Delay(TimeSpan.FromSeconds(2));

        await TerminateBackend(stuck.BackendPid);
        var clock = Stopwatch.StartNew();
        await ProjectionsCaughtUp();

        (await TimelinesOf(later)).ShouldBe(later.Length);
        (await TimelinesOf([stuck.ClaimId])).ShouldBe(0);
        output.WriteLine($"dead writer: projections passed the dead gap {clock.ElapsedMilliseconds} ms after its session ended; " +
                         $"{later.Length} events verified");
    }

    [Fact]
    public async Task the_server_ends_a_service_transaction_stalled_after_its_insert_and_the_projections_move_on()
    {
        var template = await Api.RegisteredClaim();
        await ProjectionsCaughtUp();
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:IdleInTransactionTimeoutSeconds"] = "4" }).Build();
        await using var stuck = await UncommittedRegistration(template, DatabaseConnection.Harden(Fixture.ConnectionString, settings));
        var later = await RegisterSome(5);
        var clock = Stopwatch.StartNew();

        await ProjectionsCaughtUp();

        (await TimelinesOf(later)).ShouldBe(later.Length);
        (await Scalar<long>($"select count(*) from pg_stat_activity where pid = {stuck.BackendPid}")).ShouldBe(0);
        await Should.ThrowAsync<Exception>(() => stuck.Transaction.CommitAsync());
        output.WriteLine($"stalled service transaction: ended by idle_in_transaction_session_timeout (4 s here, 30 s by default); " +
                         $"projections caught up {clock.ElapsedMilliseconds} ms after; {later.Length} events verified");
    }

    [Fact]
    public async Task an_idle_in_transaction_session_does_not_hold_the_projections_back()
    {
        await using var idle = new NpgsqlConnection(Fixture.ConnectionString);
        await idle.OpenAsync();
        await using var transaction = await idle.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("select count(*) from claims.mt_events", idle, transaction))
        {
            await read.ExecuteScalarAsync();
        }

        var claims = await RegisterSome(5);
        var clock = Stopwatch.StartNew();
        await ProjectionsCaughtUp();

        (await TimelinesOf(claims)).ShouldBe(claims.Length);
        (await Scalar<long>($"select count(*) from pg_stat_activity where pid = {idle.ProcessID} and state = 'idle in transaction'"))
            .ShouldBe(1);
        output.WriteLine($"idle in transaction: {claims.Length} events projected in {clock.ElapsedMilliseconds} ms beside it");
    }

    private sealed record StuckWrite(NpgsqlConnection Connection, NpgsqlTransaction Transaction, Guid ClaimId, long Sequence, int BackendPid)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await Transaction.DisposeAsync();
            }
            catch (NpgsqlException)
            {
                // the server already ended the session
            }

            await Connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Registers a copy of <paramref name="template"/>'s claim in a transaction left open: the sequence number is
    /// reserved and the rows inserted, as in an append in flight. Plain SQL, as Marten's own daemon tests do, so that
    /// the stalled writer holds no more than an append's own locks.
    /// </summary>
    private static async Task<StuckWrite> UncommittedRegistration(string template, string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        var id = Guid.CreateVersion7();
        await using (var stream = new NpgsqlCommand("""
            insert into claims.mt_streams select * from jsonb_populate_record(null::claims.mt_streams,
              (select to_jsonb(s) || jsonb_build_object('id', $1) from claims.mt_streams s where s.id = $2))
            """, connection, transaction))
        {
            stream.Parameters.AddWithValue(id);
            stream.Parameters.AddWithValue(Guid.Parse(template));
            await stream.ExecuteNonQueryAsync();
        }

        await using var insert = new NpgsqlCommand("""
            insert into claims.mt_events select * from jsonb_populate_record(null::claims.mt_events,
              (select to_jsonb(e) || jsonb_build_object('seq_id', nextval('claims.mt_events_sequence'), 'id', gen_random_uuid(),
                 'stream_id', $1, 'timestamp', now(), 'data', jsonb_set(e.data, '{claimId}', to_jsonb($1::text)))
               from claims.mt_events e where e.stream_id = $2 and e.version = 1))
            returning seq_id;
            """, connection, transaction);
        insert.Parameters.AddWithValue(id);
        insert.Parameters.AddWithValue(Guid.Parse(template));
        var sequence = (long)(await insert.ExecuteScalarAsync())!;
        return new StuckWrite(connection, transaction, id, sequence, connection.ProcessID);
    }

    private async Task<Guid[]> RegisterSome(int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(Guid.Parse(await Api.RegisteredClaim(Scenarios.WeaponsClaim($"Claim {i} written behind a stuck one"))));
        }

        return [.. ids];
    }

    private async Task<int> TimelinesOf(Guid[] ids)
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.LoadManyAsync<ClaimTimeline>(ids)).Count;
    }

    private async Task TerminateBackend(int pid) => await Scalar<bool>($"select pg_terminate_backend({pid})");

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
