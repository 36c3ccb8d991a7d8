using ClaimsTracker.Claims;
using ClaimsTracker.Sources;
using Marten;
using Marten.Services;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The async projections' first start on a store that is already taking writes.</summary>
public sealed class DaemonStartTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task an_append_still_in_flight_when_the_read_models_first_start_is_projected_once_it_commits()
    {
        var coordinator = Fixture.Host.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.StopAsync(CancellationToken.None);
        var claim = Guid.Parse(await Api.RegisteredClaim());

        // an append that has taken its sequence number and not yet committed, and a later one that has
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var held = Fixture.Store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            held.Events.Append(claim, new StatementRecorded(claim, new Source("Held Source", "spokesperson", "Russia"), Stance.Confirms,
                "Held.", new DateTimeOffset(2024, 2, 21, 0, 0, 0, TimeSpan.Zero), null, "test"));
            await held.SaveChangesAsync();
        }

        var later = Guid.Parse(await Api.RegisteredClaim());
        var laterSequence = await Sequence(later);
        try
        {
            await coordinator.StartAsync(CancellationToken.None);
            // long enough for a start that reads past the held append to have done so; a correct one waits for it
            await ProgressReaches(laterSequence, TimeSpan.FromSeconds(3));
        }
        finally
        {
            await transaction.CommitAsync();
        }

        await ProjectionsCaughtUp();
        await using var session = Fixture.Store.QuerySession();
        (await session.LoadAsync<SourceProfile>(SourceId.Of("Held Source"))).ShouldNotBeNull("the held statement's source has no profile");
        (await session.LoadAsync<ClaimTimeline>(claim))!.Version.ShouldBe(2);
        (await session.LoadAsync<ClaimTimeline>(later)).ShouldNotBeNull();
    }

    private async Task<long> Sequence(Guid stream)
    {
        await using var session = Fixture.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(stream)).Max(e => e.Sequence);
    }

    /// <summary>Waits until the read models' shard has passed <paramref name="sequence"/>, or the time runs out.</summary>
    private async Task ProgressReaches(long sequence, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var progress = await Fixture.Store.Advanced.AllProjectionProgress();
            if (progress.Any(p => p.ShardName == $"{ClaimsSetup.ReadModels}:All" && p.Sequence >= sequence))
            {
                return;
            }

            await Task.Delay(50);
        }
    }
}
