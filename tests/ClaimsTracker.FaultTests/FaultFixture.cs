using System.Diagnostics;
using Npgsql;
using Testcontainers.PostgreSql;

namespace ClaimsTracker.FaultTests;

/// <summary>
/// One PostgreSQL container for the fault tests, which run one after another (they pause it). Each test gets a
/// database of its own and runs the built service as a separate process against it.
/// </summary>
public sealed class FaultFixture : IAsyncLifetime
{
    private readonly PostgreSqlContainer _postgres = new PostgreSqlBuilder(
            Environment.GetEnvironmentVariable("CLAIMS_TEST_POSTGRES_IMAGE") ?? "postgres:15")
        .WithCommand("-c", "max_connections=300")
        .Build();

    public string ServerConnectionString => _postgres.GetConnectionString();

    public Task InitializeAsync() => _postgres.StartAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync().AsTask();

    public async Task<string> FreshDatabase()
    {
        var name = $"fault_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Freezes every PostgreSQL process (docker pause): connections hang rather than fail.</summary>
    public Task Pause() => Docker("pause", _postgres.Id);

    public Task Unpause() => Docker("unpause", _postgres.Id);

    private static async Task Docker(string verb, string id)
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", [verb, id]) { RedirectStandardError = true })!;
        var errors = await docker.StandardError.ReadToEndAsync();
        await docker.WaitForExitAsync();
        docker.ExitCode.ShouldBe(0, $"docker {verb}: {errors}");
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultFixture>
{
    public const string Name = "faults";
}
