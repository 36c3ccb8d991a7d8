using System.Diagnostics;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The service's own `verify` command, run as a process against the test database.</summary>
public sealed class AuditCommandLineTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task the_verify_command_passes_on_a_sound_log_and_fails_naming_the_altered_event()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await ProjectionsCaughtUp();

        await Fixture.LogCaughtUp();
        var sound = await Verify();
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"update claims.mt_events set data = jsonb_set(data, '{{quote}}', '\"Never said.\"') where stream_id = '{id}' and version = 2",
                connection);
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var tampered = await Verify();

        sound.ExitCode.ShouldBe(0, sound.Output);
        sound.Output.ShouldContain("verify: OK: 2 events, 2 leaves under the signed checkpoint");
        tampered.ExitCode.ShouldNotBe(0, tampered.Output);
        tampered.Output.ShouldContain($"altered: stream {id} version 2");
    }

    [Fact]
    public async Task the_outsiders_verifier_runs_with_no_database_and_no_settings_and_makes_keys()
    {
        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Peskov", "Russia", "confirms");
        await Fixture.LogCaughtUp();
        var folder = Directory.CreateTempSubdirectory("claims-cli-").FullName;
        var (log, checkpoint) = (Path.Combine(folder, "log.ndjson"), Path.Combine(folder, "checkpoint.txt"));
        await File.WriteAllTextAsync(log, await Api.Http.GetStringAsync("/api/audit/events.ndjson"));
        await File.WriteAllTextAsync(checkpoint, await Api.Http.GetStringAsync("/log/checkpoint"));
        var key = await Api.Http.GetStringAsync("/api/audit/log/key");

        var verified = await Run(withSettings: false, "audit", "verify-log", "--log", log, "--key", key, "--checkpoint", checkpoint);
        var made = await Run(withSettings: false, "audit", "new-key", "--name", "example.org/log");
        var usage = await Run(withSettings: false, "audit", "verify-log", "--log");

        verified.ExitCode.ShouldBe(0, verified.Output);
        verified.Output.ShouldStartWith("verify-log: OK: 2 leaves");
        made.ExitCode.ShouldBe(0, made.Output);
        Audit.PublicLog.NoteSigner.FromPrivateKey(made.Output.Trim()).Name.ShouldBe("example.org/log");
        usage.ExitCode.ShouldBe(2, usage.Output);
        usage.Output.ShouldContain("usage: ClaimsTracker audit verify-log");
    }

    private Task<(int ExitCode, string Output)> Verify() => Run(withSettings: true, "verify");

    private async Task<(int ExitCode, string Output)> Run(bool withSettings, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceAssembly)!,
        };
        info.ArgumentList.Add(ServiceAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in withSettings ? AppFixture.Settings(Fixture.ConnectionString) : new Dictionary<string, string?>())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>The service's own build output, in the configuration these tests were built in.</summary>
    private static string ServiceAssembly
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            var root = here;
            while (!File.Exists(Path.Combine(root.FullName, "ClaimsTracker.sln")))
            {
                root = root.Parent!;
            }

            return Path.Combine(root.FullName, "src", "ClaimsTracker", "bin", here.Parent!.Name, here.Name, "ClaimsTracker.dll");
        }
    }
}
