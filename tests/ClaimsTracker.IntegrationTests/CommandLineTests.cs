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
        var connectionString = await FreshDatabase();

        (await Cli(connectionString, "resources", "setup")).ExitCode.ShouldBe(0);
        (await Scalar<bool>(connectionString, "select to_regclass('claims.mt_events') is not null")).ShouldBeTrue();

        await SeedDemoData(connectionString);
        const string projected = """
            select string_agg(x, E'\n' order by x) from (
              select 'summary ' || id || ' ' || data::text as x from claims.mt_doc_claimsummary
              union all select 'timeline ' || id || ' ' || data::text from claims.mt_doc_claimtimeline
              union all select 'source ' || id || ' ' || data::text from claims.mt_doc_sourceprofile) docs
            """;
        var before = await Scalar<string>(connectionString, projected);
        await Execute(connectionString, "truncate claims.mt_doc_claimtimeline, claims.mt_doc_sourceprofile");

        var rebuild = await Cli(connectionString, "projections", "rebuild");

        rebuild.ExitCode.ShouldBe(0, rebuild.Output);
        before.ShouldContain("timeline ");
        before.ShouldContain("source dmitry-peskov");
        (await Scalar<string>(connectionString, projected)).ShouldBe(before);
        var verify = await Cli(connectionString, "verify");
        verify.ExitCode.ShouldBe(0, verify.Output);

        var codegen = await Cli(connectionString, "codegen", "preview");
        codegen.ExitCode.ShouldBe(0, codegen.Output);
        codegen.Output.ShouldContain("RecordStatementEndpoint");
    }

    private async Task<string> FreshDatabase()
    {
        var name = $"cli_{Guid.NewGuid():N}";
        await Execute(fixture.ConnectionString, $"create database {name}");
        return new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Runs the service itself with demo data until it is up, then stops it gracefully.</summary>
    private static async Task SeedDemoData(string connectionString)
    {
        using var service = Start(connectionString, ["--urls", "http://127.0.0.1:0"], seed: true);
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

    private static async Task<(int ExitCode, string Output)> Cli(string connectionString, params string[] args)
    {
        using var process = Start(connectionString, args, seed: false);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    private static Process Start(string connectionString, string[] args, bool seed)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceAssembly)!,
        };
        info.ArgumentList.Add(ServiceAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in AppFixture.Settings(connectionString))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["Demo__Seed"] = seed ? "true" : "false";
        return Process.Start(info)!;
    }

    /// <summary>The service's own build output, in the configuration these tests were built in.</summary>
    private static string ServiceAssembly
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory);   // tests/<project>/bin/<configuration>/<tfm>/
            var configuration = here.Parent!.Name;
            var framework = here.Name;
            var root = here;
            while (!File.Exists(Path.Combine(root.FullName, "ClaimsTracker.sln")))
            {
                root = root.Parent!;
            }

            return Path.Combine(root.FullName, "src", "ClaimsTracker", "bin", configuration, framework, "ClaimsTracker.dll");
        }
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
