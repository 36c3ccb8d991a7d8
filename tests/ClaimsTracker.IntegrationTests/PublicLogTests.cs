using System.Net;
using System.Text.Json.Nodes;
using ClaimsTracker.Audit.PublicLog;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The public log as an outsider reads it: signed checkpoints, proofs, tiles and the offline verifier.</summary>
public sealed class PublicLogTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_checkpoint_is_a_signed_note_over_every_event_that_verifies_with_the_published_key()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Fixture.LogCaughtUp();

        var (checkpoint, note) = await Checkpoint();

        checkpoint.Origin.ShouldBe("claimstracker.local/log");
        checkpoint.Size.ShouldBe(2);
        note.ShouldContain("\n\n\u2014 claimstracker.local/log ");
        (await Api.Get("/api/audit/log/keys")).Json["keys"]!.AsArray().Single()!["verifierKey"]!.ToString()
            .ShouldBe(await Api.Http.GetStringAsync("/api/audit/log/key"));
        (await Verifier()).TryOpen(note.Replace("\n2\n", "\n3\n", StringComparison.Ordinal), out _).ShouldBeFalse();
    }

    [Fact]
    public async Task a_store_with_events_and_no_log_yet_is_integrated_from_its_first_event_into_the_same_tree()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Api.StatementFrom(await Api.RegisteredClaim(), "KCNA", "North Korea", "denies");
        await Fixture.LogCaughtUp();
        var (before, _) = await Checkpoint();

        // as at the first start of this build on a store the sealing builds wrote: events, and no log tables' rows
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var truncate = new NpgsqlCommand("truncate claims.log_state, claims.log_tiles, claims.log_runs", connection);
            await truncate.ExecuteNonQueryAsync();
        }

        await Fixture.LogCaughtUp();
        var (after, _) = await Checkpoint();

        after.Size.ShouldBe(4);
        after.Root.ShouldBe(before.Root);
        (await Api.Get("/api/admin/verify", AppFixture.AdminKey)).Field("ok").ShouldBe("true");
    }

    [Fact]
    public async Task a_tile_changed_in_the_store_is_found_by_verify_though_proofs_have_kept_a_copy()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Fixture.LogCaughtUp();
        (await Api.Get("/api/audit/log/proof/inclusion?leafIndex=0&treeSize=2")).Status.ShouldBe(HttpStatusCode.OK);

        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var corrupt = new NpgsqlCommand(
                "update claims.log_tiles set hashes = overlay(hashes placing decode(repeat('00', 32), 'hex') from 1 for 32) where level = 0 and idx = 0",
                connection);
            (await corrupt.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var report = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        report.Field("ok").ShouldBe("false", report.Text);
        report.Json["log"]!.AsArray().Select(f => f!["kind"]!.ToString()).ShouldContain("tiles", report.Text);
    }

    [Fact]
    public async Task readiness_reports_the_sequencer_and_the_size_it_has_signed()
    {
        await Api.RegisteredClaim();
        await Fixture.LogCaughtUp();

        var ready = await Api.Get("/health/ready");

        ready.Field("checks.public-log.status").ShouldBe("Healthy", ready.Text);
        ready.Field("checks.public-log.description")!.ShouldStartWith("this node integrates the public log: 1 leaves");
    }

    [Fact]
    public async Task a_checkpoint_from_before_more_writes_is_consistent_with_the_one_after_and_every_leaf_is_proved_included()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Fixture.LogCaughtUp();
        var (before, _) = await Checkpoint();
        foreach (var i in Enumerable.Range(0, 5))
        {
            await Api.StatementFrom(await Api.RegisteredClaim(), $"Source {i}", null, "asserts");
        }

        await Fixture.LogCaughtUp();
        var (after, _) = await Checkpoint();

        after.Size.ShouldBe(12);
        var proof = await Api.Get($"/api/audit/log/proof/consistency?from={before.Size}&to={after.Size}");
        proof.Status.ShouldBe(HttpStatusCode.OK, proof.Text);
        proof.Field("fromRoot").ShouldBe(Convert.ToBase64String(before.Root));
        proof.Field("toRoot").ShouldBe(Convert.ToBase64String(after.Root));
        Merkle.VerifyConsistency(before.Size, after.Size, before.Root, after.Root, Hashes(proof)).ShouldBeTrue();
        Merkle.VerifyConsistency(before.Size, after.Size, after.Root, after.Root, Hashes(proof)).ShouldBeFalse();

        var history = await Api.Get($"/api/claims/{id}/history");
        history.Json["items"]!.AsArray().Select(i => i!["leafIndex"]!.GetValue<long>()).ShouldBe([0L, 1]);
        for (var leaf = 0L; leaf < after.Size; leaf++)
        {
            var inclusion = await Api.Get($"/api/audit/log/proof/inclusion?leafIndex={leaf}&treeSize={after.Size}");
            inclusion.Field("rootHash").ShouldBe(Convert.ToBase64String(after.Root));
            Merkle.VerifyInclusion(leaf, after.Size, Convert.FromBase64String(inclusion.Field("leafHash")!), Hashes(inclusion), after.Root)
                .ShouldBeTrue($"leaf {leaf}");
        }
    }

    [Fact]
    public async Task tiles_and_entry_bundles_are_served_as_c2sp_tlog_tiles_and_agree_with_the_proofs()
    {
        var id = await Api.RegisteredClaim();
        var statements = Enumerable.Range(0, 299).Select(i => Scenarios.Statement($"Source {i}", null, "asserts", "2024-02-20T09:00:00Z")).ToArray();
        (await Api.Post($"/api/claims/{id}/statements/batch", new { statements })).Status.ShouldBe(HttpStatusCode.OK);
        await Fixture.LogCaughtUp();

        using var full = await Api.Http.GetAsync("/log/tile/0/000");
        using var partial = await Api.Http.GetAsync("/log/tile/0/001.p/44");
        using var entries = await Api.Http.GetAsync("/log/tile/entries/001.p/44");

        full.StatusCode.ShouldBe(HttpStatusCode.OK);
        full.Headers.CacheControl!.ToString().ShouldContain("immutable");
        partial.Headers.CacheControl!.NoCache.ShouldBeTrue();
        var hashes = await full.Content.ReadAsByteArrayAsync();
        hashes.Length.ShouldBe(256 * 32);
        (await partial.Content.ReadAsByteArrayAsync()).Length.ShouldBe(44 * 32);
        var bundle = EntryBundle.Read(await entries.Content.ReadAsByteArrayAsync());
        bundle.Count.ShouldBe(44);
        var partialHashes = await partial.Content.ReadAsByteArrayAsync();
        for (var i = 0; i < 44; i++)
        {
            Merkle.LeafHash(bundle[i]).ShouldBe(partialHashes[(i * 32)..((i + 1) * 32)], $"entry {256 + i}");
        }

        var leaf7 = await Api.Get("/api/audit/log/proof/inclusion?leafIndex=7&treeSize=300");
        Convert.ToBase64String(hashes[(7 * 32)..(8 * 32)]).ShouldBe(leaf7.Field("leafHash"));
        (await Api.Http.GetAsync("/log/tile/0/001.p/45")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api.Http.GetAsync("/log/tile/0/001")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api.Http.GetAsync("/log/tile/0/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Api.Http.GetAsync("/log/tile/1/000.p/1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("inclusion?leafIndex=0&treeSize=3", "treeSize")]
    [InlineData("inclusion?leafIndex=2&treeSize=2", "leafIndex")]
    [InlineData("inclusion?treeSize=2", "leafIndex")]
    [InlineData("consistency?from=2&to=1", "from")]
    [InlineData("consistency?from=0&to=2", "from")]
    [InlineData("consistency?from=1&to=9", "to")]
    public async Task a_proof_beyond_the_latest_checkpoint_or_without_its_sizes_is_refused_field_by_field(string query, string field)
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Fixture.LogCaughtUp();

        var reply = await Api.Get($"/api/audit/log/proof/{query}");

        reply.Status.ShouldBe(HttpStatusCode.BadRequest, reply.Text);
        reply.Json["errors"]![field].ShouldNotBeNull(reply.Text);
        (await Api.Get($"/api/audit/log/proof/{query.Replace("=", "=x", StringComparison.Ordinal)}")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task the_offline_verifier_accepts_the_export_and_names_the_first_leaf_that_a_rewrite_changed()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies");
        await Fixture.LogCaughtUp();
        var folder = Directory.CreateTempSubdirectory("claims-log-").FullName;
        var key = await Api.Http.GetStringAsync("/api/audit/log/key");
        var saved = await Save(folder, "saved");

        (await OfflineVerify("--log", saved.Log, "--key", key, "--checkpoint", saved.Checkpoint)).ShouldStartWith("verify-log: OK: 3 leaves");

        await Api.StatementFrom(id, "Reuters", null, "asserts");
        await Fixture.LogCaughtUp();
        var grown = await Save(folder, "grown");
        (await OfflineVerify("--log", grown.Log, "--key", key, "--checkpoint", grown.Checkpoint, "--earlier-checkpoint", saved.Checkpoint))
            .ShouldContain("extend the saved checkpoint of size 3");

        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var rewrite = new NpgsqlCommand(
                $"update claims.mt_events set data = jsonb_set(data, '{{stance}}', '\"confirms\"') where stream_id = '{id}' and version = 3", connection);
            (await rewrite.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var rewritten = await Save(folder, "rewritten");
        (await OfflineVerify("--log", rewritten.Log, "--key", key, "--checkpoint", rewritten.Checkpoint))
            .ShouldStartWith("verify-log: FAILED: the export's 4 leaves do not give the signed root");
        (await OfflineVerify("--log", rewritten.Log, "--key", key, "--checkpoint", saved.Checkpoint, "--earlier-checkpoint", saved.Checkpoint,
            "--earlier-log", saved.Log)).ShouldStartWith("verify-log: FAILED");
        var forged = rewritten.Checkpoint + ".forged";
        await File.WriteAllTextAsync(forged, (await File.ReadAllTextAsync(grown.Checkpoint)).Replace("\n4\n", "\n5\n", StringComparison.Ordinal));
        (await OfflineVerify("--log", grown.Log, "--key", key, "--checkpoint", forged)).ShouldContain("no signature by the given key(s) verifies");
    }

    [Theory]
    [InlineData("data", "update claims.mt_events set data = jsonb_set(data, '{quote}', '\"Never said.\"') where stream_id = '{id}' and version = 2")]
    [InlineData("recorded time", "update claims.mt_events set timestamp = timestamp - interval '3 days' where stream_id = '{id}' and version = 2")]
    [InlineData("actor", "update claims.mt_events set user_name = 'someone-else' where stream_id = '{id}' and version = 2")]
    [InlineData("type", "update claims.mt_events set type = 'claim_reported' where stream_id = '{id}' and version = 2")]
    [InlineData("delete", "delete from claims.mt_events where stream_id = '{id}' and version = 2")]
    [InlineData("reorder", "swap")]
    public async Task every_rewrite_of_an_integrated_event_fails_the_outsiders_check_and_the_services_own(string rewrite, string sql)
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies");
        await Fixture.LogCaughtUp();
        var folder = Directory.CreateTempSubdirectory("claims-log-").FullName;
        var key = await Api.Http.GetStringAsync("/api/audit/log/key");
        var saved = await Save(folder, "saved");
        (await OfflineVerify("--log", saved.Log, "--key", key, "--checkpoint", saved.Checkpoint)).ShouldStartWith("verify-log: OK");

        await Rewrite(sql == "swap" ? $"swap {id}" : sql.Replace("{id}", id, StringComparison.Ordinal));
        var after = await Save(folder, "after");

        (await OfflineVerify("--log", after.Log, "--key", key, "--checkpoint", saved.Checkpoint)).ShouldStartWith("verify-log: FAILED", customMessage: rewrite);
        var report = await Api.Get("/api/admin/verify", AppFixture.AdminKey);
        report.Field("ok").ShouldBe("false", $"{rewrite}: {report.Text}");
        report.Json["log"]!.AsArray().ShouldContain(f => f!["leaf"] != null, $"{rewrite}: the finding names the leaf: {report.Text}");
    }

    private async Task Rewrite(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        if (sql.StartsWith("swap", StringComparison.Ordinal))
        {
            // versions 2 and 3 trade places in the sequence, through negative numbers since seq_id is the key
            sql = """
                update claims.mt_events set seq_id = -seq_id where stream_id = '{id}' and version in (2, 3);
                update claims.mt_events set seq_id = case when version = 2 then (select -seq_id from claims.mt_events where stream_id = '{id}' and version = 3)
                                                          else (select -seq_id from claims.mt_events where stream_id = '{id}' and version = 2) end
                where stream_id = '{id}' and version in (2, 3)
                """.Replace("{id}", sql[5..], StringComparison.Ordinal);
        }

        await using var command = new NpgsqlCommand(sql, connection);
        (await command.ExecuteNonQueryAsync()).ShouldBeGreaterThan(0, sql);
    }

    private async Task<(string Log, string Checkpoint)> Save(string folder, string name)
    {
        var (log, checkpoint) = (Path.Combine(folder, $"{name}.ndjson"), Path.Combine(folder, $"{name}.txt"));
        await File.WriteAllTextAsync(log, await Api.Http.GetStringAsync("/api/audit/events.ndjson"));
        await File.WriteAllTextAsync(checkpoint, await Api.Http.GetStringAsync("/log/checkpoint"));
        return (log, checkpoint);
    }

    private static async Task<string> OfflineVerify(params string[] args)
    {
        using var output = new StringWriter();
        await OfflineVerifier.Run(["verify-log", .. args], output);
        return output.ToString();
    }

    private async Task<NoteVerifier> Verifier() => NoteVerifier.Parse(await Api.Http.GetStringAsync("/api/audit/log/key"));

    private async Task<(Checkpoint Checkpoint, string Note)> Checkpoint()
    {
        var note = await Api.Http.GetStringAsync("/log/checkpoint");
        (await Verifier()).TryOpen(note, out var body).ShouldBeTrue(note);
        Audit.PublicLog.Checkpoint.TryParse(body, out var checkpoint).ShouldBeTrue(body);
        return (checkpoint, note);
    }

    private static List<byte[]> Hashes(Reply proof) =>
        proof.Json["hashes"]!.AsArray().Select(h => Convert.FromBase64String(h!.ToString())).ToList();
}
