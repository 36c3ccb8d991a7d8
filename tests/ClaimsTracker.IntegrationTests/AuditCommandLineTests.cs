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

    private async Task<(int ExitCode, string Output)> Verify()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceAssembly)!,
        };
        info.ArgumentList.Add(ServiceAssembly);
        info.ArgumentList.Add("verify");
        foreach (var (key, value) in AppFixture.Settings(Fixture.ConnectionString))
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
