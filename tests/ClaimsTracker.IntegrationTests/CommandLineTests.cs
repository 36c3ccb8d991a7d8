using System.Diagnostics;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The JasperFx command line of the built service, run as its own process against a database of its own.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CommandLineTests(AppFixture fixture)
{
    [Fact]
    public async Task resources_setup_then_projections_rebuild_reproduces_the_projections_and_codegen_previews()
    {
        var connectionString = await BuiltService.FreshDatabase(fixture.ConnectionString);

        (await Cli(connectionString, "resources", "setup")).ExitCode.ShouldBe(0);
        (await Scalar<bool>(connectionString, "select to_regclass('claims.mt_events') is not null")).ShouldBeTrue();

        await SeedDemoData(connectionString);
        const string projected = """
            select string_agg(x, E'\n' order by x) from (
              select 'summary ' || id || ' ' || data::text as x from claims.mt_doc_claimsummary
              union all select 'timeline ' || id || ' ' || data::text from claims.mt_doc_claimtimeline
              union all select 'source ' || id || ' ' || data::text from claims.mt_doc_sourceprofile
              union all select 'statement ' || id || ' ' || data::text from claims.mt_doc_sourcestatement) docs
            """;
        var before = await Scalar<string>(connectionString, projected);
        await Execute(connectionString, "truncate claims.mt_doc_claimtimeline, claims.mt_doc_sourceprofile, claims.mt_doc_sourcestatement");

        var rebuild = await Cli(connectionString, "projections", "rebuild");

        rebuild.ExitCode.ShouldBe(0, rebuild.Output);
        before.ShouldContain("timeline ");
        before.ShouldContain("source dmitry-peskov");
        before.ShouldContain("statement ");
        (await Scalar<string>(connectionString, projected)).ShouldBe(before);
        var verify = await Cli(connectionString, "verify");
        verify.ExitCode.ShouldBe(0, verify.Output);

        var codegen = await Cli(connectionString, "codegen", "preview");
        codegen.ExitCode.ShouldBe(0, codegen.Output);
        codegen.Output.ShouldContain("RecordStatementEndpoint");
    }

    /// <summary>
    /// Database:ApplySchemaOnStart=false, as ops/bench and docker-compose run the service after their own
    /// `resources setup` step: on a database without the schema the service must neither create anything nor start
    /// half-working, but stop at once and say what to run; after `resources setup` (with the same setting, which
    /// must not stop it from creating the schema) it starts and serves writes and reads on that schema.
    /// </summary>
    [Fact]
    public async Task without_applying_the_schema_at_start_a_missing_schema_stops_the_service_and_resources_setup_lets_it_serve()
    {
        var connectionString = await BuiltService.FreshDatabase(fixture.ConnectionString);
        var setupFirst = new Dictionary<string, string> { ["Database__ApplySchemaOnStart"] = "false" };

        var refused = await Cli(connectionString, setupFirst, "--urls", "http://127.0.0.1:0");

        refused.ExitCode.ShouldNotBe(0, refused.Output);
        refused.Output.ShouldContain("The database schema is not set up");
        refused.Output.ShouldContain("claims.mt_doc_claimsummary");
        refused.Output.ShouldContain("resources setup");
        (await Scalar<long>(connectionString,
            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'claims'")).ShouldBe(0);

        var setup = await Cli(connectionString, setupFirst, "resources", "setup");
        setup.ExitCode.ShouldBe(0, setup.Output);
        (await Scalar<bool>(connectionString,
            "select to_regclass('claims.mt_events') is not null and to_regclass('claims.wolverine_incoming_envelopes') is not null")).ShouldBeTrue();

        // one table short, as after deploying a build with a new document type without its setup step
        await Execute(connectionString, "drop table claims.mt_doc_webhook");
        var oneShort = await Cli(connectionString, setupFirst, "--urls", "http://127.0.0.1:0");
        oneShort.ExitCode.ShouldNotBe(0, oneShort.Output);
        oneShort.Output.ShouldContain("1 table(s)/function(s) missing, e.g. claims.mt_doc_webhook.");
        (await Cli(connectionString, setupFirst, "resources", "setup")).ExitCode.ShouldBe(0);

        using var service = BuiltService.Launch(connectionString, ["--urls", "http://127.0.0.1:0"], seed: false, setupFirst);
        var output = new List<string>();
        var listening = new TaskCompletionSource<string>();
        service.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line.Data);
            }

            if (System.Text.RegularExpressions.Regex.Match(line.Data, @"Now listening on: (http://\S+)") is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var api = new Api(http);
            var id = await api.RegisteredClaim();
            (await api.StatementFrom(id, "Dmitry Peskov", "Russia", "denies")).Field("status").ShouldBe("denied");
            (await api.Status(id)).ShouldBe("denied");
            (await api.Get("/api/claims?pageSize=1")).Field("items.0.id").ShouldBe(id);
            lock (output)
            {
                output.ShouldContain(line => line.Contains("Database schema present", StringComparison.Ordinal));
            }
        }
        finally
        {
            Process.Start("kill", ["-TERM", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
            await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Runs the service itself with demo data until it is up, then stops it gracefully.</summary>
    private static async Task SeedDemoData(string connectionString)
    {
        using var service = BuiltService.Launch(connectionString, ["--urls", "http://127.0.0.1:0"], seed: true);
        var started = new TaskCompletionSource();
        service.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3));   // lets the async daemon project what the demo loader wrote
        Process.Start("kill", ["-TERM", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
        await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static Task<(int ExitCode, string Output)> Cli(string connectionString, params string[] args) =>
        Cli(connectionString, new Dictionary<string, string>(), args);

    private static async Task<(int ExitCode, string Output)> Cli(
        string connectionString, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = BuiltService.Launch(connectionString, args, seed: false, environment);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
