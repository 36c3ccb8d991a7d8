using ClaimsTracker.Claims;
using ClaimsTracker.Sources;
using ClaimsTracker.Infrastructure;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

public sealed class AuditUpcastingTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task an_event_in_the_first_releases_shape_replays_into_todays_projections_and_still_verifies()
    {
        var id = Guid.Parse(await Api.RegisteredClaim());
        await StoredByTheFirstRelease(id, """{"claimId":"CLAIM","outlet":"Old Wire","url":"https://example.org/old","publishedAt":"2024-02-21T00:00:00Z","recordedBy":"legacy-editor"}"""
            .Replace("CLAIM", id.ToString(), StringComparison.Ordinal));

        var daemon = Fixture.Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        foreach (var projection in new[] { typeof(ClaimSummary), typeof(ClaimTimeline), typeof(SourceProfile), typeof(SourceStatement), typeof(ClaimFact) })
        {
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        await ProjectionsCaughtUp();
        var claim = await Api.Get($"/api/claims/{id}");
        claim.Field("counts.reports").ShouldBe("1");
        claim.Field("version").ShouldBe("2");
        var history = await Api.Get($"/api/claims/{id}/history");
        history.Field("items.1.data.article.outlet").ShouldBe("Old Wire");
        history.Field("items.1.actor").ShouldBe("legacy-editor");
        var verify = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        verify.Field("ok").ShouldBe("true", verify.Text);

        (await Api.Post($"/api/claims/{id}/reports", new { outlet = "New Wire", url = "https://example.org/new", publishedAt = "2024-02-22T00:00:00Z" }))
            .Field("version").ShouldBe("3");
        (await Api.Get($"/api/claims/{id}")).Field("counts.reports").ShouldBe("2");
    }

    /// <summary>Writes the row the way the first release did.</summary>
    private async Task StoredByTheFirstRelease(Guid id, string json)
    {
        var recordedAt = Json.Stored(DateTimeOffset.UtcNow);
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                insert into claims.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, user_name, correlation_id)
                values (nextval('claims.mt_events_sequence'), gen_random_uuid(), $1, 2, $2::jsonb, 'claim_rereported', $3, '*DEFAULT*',
                        'legacy-editor', 'legacy-correlation')
                """, connection);
            command.Parameters.AddWithValue(id);
            command.Parameters.AddWithValue(json);
            command.Parameters.AddWithValue(recordedAt);
            await command.ExecuteNonQueryAsync();
            await using var stream = new NpgsqlCommand("update claims.mt_streams set version = 2 where id = $1", connection);
            stream.Parameters.AddWithValue(id);
            await stream.ExecuteNonQueryAsync();
        }
    }
}
