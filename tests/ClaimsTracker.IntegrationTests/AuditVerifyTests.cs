using System.Net;
using System.Text.Json.Nodes;
using ClaimsTracker.Claims;
using ClaimsTracker.Demo;
using ClaimsTracker.Sources;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The tamper-evident log and the verify that proves rebuilds: tampering goes through plain SQL.</summary>
public sealed class AuditVerifyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task verify_passes_on_the_demo_data_and_on_live_writes_and_again_after_rebuilding_every_projection()
    {
        await ActivatorUtilities.CreateInstance<DemoLoader>(Fixture.Host.Services).StartAsync(CancellationToken.None);
        var id = await ClaimWithCorrectedStatement();

        var first = await Verified();
        first["events"]!.GetValue<long>().ShouldBeGreaterThan(10);
        first["leaves"]!.GetValue<long>().ShouldBe(first["events"]!.GetValue<long>());

        var daemon = Fixture.Host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        foreach (var projection in new[] { typeof(ClaimSummary), typeof(ClaimTimeline), typeof(SourceProfile), typeof(SourceStatement), typeof(ClaimFact) })
        {
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        await ProjectionsCaughtUp();
        var again = await Verified();
        again["events"]!.GetValue<long>().ShouldBe(first["events"]!.GetValue<long>());
        (await Api.Status(id)).ShouldBe("disputed");
    }

    [Fact]
    public async Task an_event_whose_data_is_updated_through_sql_is_named_as_altered()
    {
        var id = await ClaimWithCorrectedStatement();
        await Verified();

        await Sql($"update claims.mt_events set data = jsonb_set(data, '{{stance}}', '\"denies\"') where stream_id = '{id}' and version = 2");

        var report = await Report();
        report["ok"]!.GetValue<bool>().ShouldBeFalse();
        Findings(report).ShouldBe([$"altered {id} 2"]);
    }

    [Fact]
    public async Task an_event_whose_recorded_time_or_actor_is_changed_through_sql_is_named_as_altered()
    {
        var id = await ClaimWithCorrectedStatement();

        await Sql($"update claims.mt_events set timestamp = timestamp - interval '3 days' where stream_id = '{id}' and version = 3");
        await Sql($"update claims.mt_events set user_name = 'someone-else' where stream_id = '{id}' and version = 1");

        Findings(await Report()).ShouldBe([$"altered {id} 1", $"altered {id} 3"], ignoreOrder: true);
    }

    [Fact]
    public async Task an_event_deleted_through_sql_is_named_as_removed()
    {
        var id = await ClaimWithCorrectedStatement();

        await Sql($"delete from claims.mt_events where stream_id = '{id}' and version = 3");

        var report = await Report();
        Findings(report).ShouldBe([$"removed {id} 3"]);
        report["projections"]!.AsArray().ShouldContain(d => d!["projection"]!.ToString() == "summary");
    }

    [Fact]
    public async Task a_row_inserted_through_sql_is_named_as_inserted()
    {
        var id = await ClaimWithCorrectedStatement();

        await Sql($"""
            insert into claims.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name)
            select nextval('claims.mt_events_sequence'), gen_random_uuid(), stream_id, 5, data, type, timestamp, tenant_id,
                   mt_dotnet_type, user_name
            from claims.mt_events where stream_id = '{id}' and version = 2
            """);

        Findings(await Report()).ShouldBe([$"inserted {id} 5"]);
    }

    [Fact]
    public async Task a_forged_row_of_a_type_the_service_does_not_know_is_named_as_inserted()
    {
        var id = await ClaimWithCorrectedStatement();

        await Sql($$"""
            insert into claims.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id)
            values (nextval('claims.mt_events_sequence'), gen_random_uuid(), '{{id}}', 5, '{"claimId":"{{id}}"}', 'claim_forged', now(), '*DEFAULT*')
            """);

        Findings(await Report()).ShouldBe([$"unreadable {id} 5", $"inserted {id} 5"]);
    }

    [Fact]
    public async Task a_projected_document_changed_behind_the_service_is_reported_with_the_fields_that_differ()
    {
        var id = await ClaimWithCorrectedStatement();
        await ProjectionsCaughtUp();

        await Sql($"update claims.mt_doc_claimsummary set data = jsonb_set(data, '{{status}}', '\"confirmed\"') where id = '{id}'");
        await Sql($"delete from claims.mt_doc_claimtimeline where id = '{id}'");

        var report = await Report();
        report["log"]!.AsArray().ShouldBeEmpty();
        var differences = report["projections"]!.AsArray()
            .Select(d => $"{d!["projection"]} {d["id"]} {d["kind"]} {string.Join(",", d["fields"]!.AsArray().Select(f => f!.ToString()))}")
            .ToList();
        differences.ShouldBe([
            $"summary {id} differs from the rebuild status",
            $"timeline {id} missing from the live projection ",
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task verify_needs_an_admin_key()
    {
        (await Api.Get("/api/admin/verify")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.Get("/api/admin/verify", AppFixture.EditorKey)).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task every_event_carries_actor_correlation_and_causation_and_the_idempotency_key_when_sent()
    {
        var registered = await Api.Post("/api/claims", Scenarios.WeaponsClaim(), idempotencyKey: "audit-register-1");
        var id = registered.Field("id")!;
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");

        var history = await Api.Get($"/api/claims/{id}/history");

        var items = history.Json["items"]!.AsArray();
        items.Count.ShouldBe(2);
        items.ShouldAllBe(i => i!["actor"]!.ToString() == "test-editor" && i["correlationId"] != null && i["causationId"] != null);
        items[0]!["idempotencyKey"]!.ToString().ShouldBe("audit-register-1");
    }

    /// <summary>Registered (1), Russia confirms (2), North Korea denies (3), then (4) corrects the date of 3.</summary>
    private async Task<string> ClaimWithCorrectedStatement()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms", statedAt: "2024-02-22T00:00:00Z");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies", statedAt: "2024-02-19T00:00:00Z");
        var corrected = await Api.Post($"/api/claims/{id}/corrections", new { reason = "Date", correctsVersion = 3, statedAt = "2024-02-23T00:00:00Z" });
        corrected.Status.ShouldBe(HttpStatusCode.OK, corrected.Text);
        // the log protects what it has integrated: tampering comes after, as it would in a store in use
        await Fixture.LogCaughtUp();
        return id;
    }

    private async Task<JsonNode> Report()
    {
        var reply = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        return reply.Json;
    }

    private async Task<JsonNode> Verified()
    {
        await Fixture.LogCaughtUp();
        var report = await Report();
        report["ok"]!.GetValue<bool>().ShouldBeTrue(report.ToJsonString());
        return report;
    }

    private static List<string> Findings(JsonNode report) =>
        report["log"]!.AsArray().Select(f => $"{f!["kind"]} {f["streamId"]} {f["version"]}").Distinct().ToList();

    private async Task Sql(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        (await command.ExecuteNonQueryAsync()).ShouldBeGreaterThan(0, sql);
    }
}
