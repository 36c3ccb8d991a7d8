using Alba;
using ClaimsTracker.Infrastructure;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Testcontainers.PostgreSql;
using Wolverine;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// One real PostgreSQL container and one real host for the whole assembly. The image comes from
/// CLAIMS_TEST_POSTGRES_IMAGE (ops/test builds a local one where Docker Hub is out of reach).
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string EditorKey = "test-editor-key";
    public const string AdminKey = "test-admin-key";
    public const string ReaderKey = "test-reader-key";
    public const string RevokedKey = "test-revoked-key";

    private readonly PostgreSqlContainer _postgres = new PostgreSqlBuilder(
            Environment.GetEnvironmentVariable("CLAIMS_TEST_POSTGRES_IMAGE") ?? "postgres:15")
        .WithCommand("-c", "fsync=off", "-c", "max_connections=200")
        .Build();

    public IAlbaHost Host { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public MartenCommands Commands { get; } = new();

    public string ConnectionString => _postgres.GetConnectionString();

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public static IReadOnlyDictionary<string, string?> Settings(string connectionString) => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Claims"] = connectionString,
        ["Demo:Seed"] = "false",
        // tests write far faster than a newsroom; the rate limit itself is tested in ClaimsTracker.FaultTests
        ["Limits:WritesPerSecond"] = "1000000",
        ["Limits:WriteBurst"] = "1000000",
        ["Auth:Keys:0:Name"] = "test-editor",
        ["Auth:Keys:0:Role"] = "editor",
        ["Auth:Keys:0:Key"] = EditorKey,
        ["Auth:Keys:1:Name"] = "test-admin",
        ["Auth:Keys:1:Role"] = "admin",
        ["Auth:Keys:1:Key"] = AdminKey,
        ["Auth:Keys:2:Name"] = "test-reader",
        ["Auth:Keys:2:Role"] = "reader",
        ["Auth:Keys:2:Key"] = ReaderKey,
        ["Auth:Keys:3:Name"] = "test-former-editor",
        ["Auth:Keys:3:Role"] = "editor",
        ["Auth:Keys:3:Key"] = RevokedKey,
        ["Auth:Keys:3:Revoked"] = "true",
    };

    public async Task InitializeAsync()
    {
        await _postgres.StartAsync();
        Host = await AlbaHost.For<Program>(builder =>
        {
            foreach (var (key, value) in Settings(ConnectionString))
            {
                builder.UseSetting(key, value);
            }

            // the service runs its async daemon in Solo mode already, which is what a single test host needs
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                // what a request ran in PostgreSQL, for the tests that count it (DatabaseReads)
                services.ConfigureMarten(opts => opts.Logger(Commands));
            });
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "integration";
}

/// <summary>Each test starts from an empty store, through the real HTTP pipeline of the real host.</summary>
[Collection(IntegrationCollection.Name)]
public abstract class IntegrationContext(AppFixture fixture) : IAsyncLifetime
{
    protected AppFixture Fixture { get; } = fixture;

    protected Api Api { get; } = new(fixture.Host.Server.CreateClient());

    public virtual async Task InitializeAsync() => await Fixture.ResetStore();

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task ProjectionsCaughtUp()
    {
        (await ProjectionShard.CaughtUp(Fixture.Store, TimeSpan.FromSeconds(30))).ShouldBeTrue("the async projections did not catch up within 30 s");
        await Fixture.LogCaughtUp();
    }
}
