using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit.Abstractions;

namespace ClaimsTracker.FaultTests;

/// <summary>
/// A PostgreSQL primary and a streaming replica made from it with pg_basebackup (PostgreSQL's own physical
/// replication), and the service given both hosts in one Npgsql multi-host connection string. Replay on the replica
/// is paused to tell the two apart: a write is acknowledged (the primary has it) while a read does not see it yet
/// (the replica answered), and the async projections keep up on the primary.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReplicaTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "replica-test";
    private static readonly string Image = Environment.GetEnvironmentVariable("CLAIMS_TEST_POSTGRES_IMAGE") ?? "postgres:15";
    private readonly INetwork _network = new NetworkBuilder().Build();
    private PostgreSqlContainer _primary = null!;
    private IContainer _replica = null!;

    public async Task InitializeAsync()
    {
        await _network.CreateAsync();
        // replication connections are matched by their own pg_hba line ("all" does not cover them)
        _primary = new PostgreSqlBuilder(Image)
            .WithPassword(Password)
            .WithNetwork(_network).WithNetworkAliases("primary")
            .WithResourceMapping(Encoding.UTF8.GetBytes("echo 'host replication all all scram-sha-256' >> \"$PGDATA/pg_hba.conf\"\n"),
                "/docker-entrypoint-initdb.d/replication.sh")
            .Build();
        await _primary.StartAsync();

        // the standby: a base backup of the primary with its recovery settings (-R), then postgres on it, as user postgres
        _replica = new ContainerBuilder(Image)
            .WithNetwork(_network)
            .WithPortBinding(5432, true)
            .WithEnvironment("PGPASSWORD", Password)
            .WithCreateParameterModifier(p => p.User = "postgres")
            .WithEntrypoint("sh", "-c",
                "pg_basebackup -h primary -U postgres -D /tmp/standby -R -X stream && chmod 700 /tmp/standby " +
                "&& exec postgres -D /tmp/standby -c listen_addresses='*' -c hot_standby=on")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("ready to accept read-only connections"))
            .Build();
        await _replica.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _primary.DisposeAsync();
        await _network.DisposeAsync();
    }

    [Fact]
    public async Task reads_go_to_the_streaming_replica_while_writes_and_projections_stay_on_the_primary()
    {
        var primary = new NpgsqlConnectionStringBuilder(_primary.GetConnectionString()) { Database = "claims_replicated" };
        await Execute(_primary.GetConnectionString(), "create database claims_replicated");
        var replica = new NpgsqlConnectionStringBuilder(primary.ConnectionString) { Host = _replica.Hostname, Port = _replica.GetMappedPublicPort(5432) };
        var both = new NpgsqlConnectionStringBuilder(primary.ConnectionString) { Host = $"{primary.Host}:{primary.Port},{replica.Host}:{replica.Port}" };
        await using var service = await ServiceProcess.Start(both.ConnectionString);
        var store = new StoreChecks(primary.ConnectionString);
        (await Scalar<bool>(replica.ConnectionString, "select pg_is_in_recovery()")).ShouldBeTrue();

        var first = await Register(service, "before the pause");
        var replicated = await Until(async () => (await Get(service, $"/api/claims/{first}")).StatusCode == HttpStatusCode.OK);

        await Scalar<object>(replica.ConnectionString, "select pg_wal_replay_pause()");
        var second = await Register(service, "while replay is paused");
        var whilePaused = (await Get(service, $"/api/claims/{second}")).StatusCode;
        var readersOnReplica = await Scalar<long>(replica.ConnectionString,
            "select count(*) from pg_stat_activity where datname = 'claims_replicated' and pid <> pg_backend_pid()");
        var onPrimary = await Scalar<long>(primary.ConnectionString, $"select count(*) from claims.mt_streams where id = '{second}'");
        // the daemon follows the primary: it projects the claim the paused replica has not replayed
        var projections = await store.ProjectionsCaughtUp(TimeSpan.FromSeconds(60));
        var timelines = await store.Scalar<string>("select coalesce(string_agg(id::text, ','), '') from claims.mt_doc_claimtimeline");
        await Scalar<object>(replica.ConnectionString, "select pg_wal_replay_resume()");
        var caughtUp = await Until(async () => (await Get(service, $"/api/claims/{second}")).StatusCode == HttpStatusCode.OK);

        await _replica.StopAsync();
        var third = await Register(service, "with the replica down");
        // pooled connections to the stopped replica break: such a read answers 503 (retry), then Npgsql takes the primary
        var answers = new List<HttpStatusCode>();
        var fallback = await Until(async () =>
        {
            answers.Add((await Get(service, $"/api/claims/{third}")).StatusCode);
            return answers[^1] == HttpStatusCode.OK;
        });

        output.WriteLine($"replica: {readersOnReplica} service connections on the replica; first claim readable through the replica {replicated.TotalMilliseconds:F0} ms after its write; " +
                         $"with replay paused the read answered {(int)whilePaused} while the primary held the claim ({onPrimary} stream row); " +
                         $"readable {caughtUp.TotalMilliseconds:F0} ms after replay resumed; async projections caught up on the primary, replay still paused, in {projections.TotalMilliseconds:F0} ms; " +
                         $"replica stopped: reads answered {string.Join(", ", answers.Select(a => (int)a))}, the primary serving them {fallback.TotalMilliseconds:F0} ms after");
        whilePaused.ShouldBe(HttpStatusCode.NotFound);
        onPrimary.ShouldBe(1);
        answers.ShouldAllBe(a => a == HttpStatusCode.OK || a == HttpStatusCode.ServiceUnavailable);
        readersOnReplica.ShouldBeGreaterThan(0);
        timelines.ShouldContain(second.ToString());
    }

    private static async Task<Guid> Register(ServiceProcess service, string statement)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/claims")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new
            {
                statement, parties = new[] { "Russia" }, topics = new[] { "weapons" },
                firstReport = new { outlet = "Example Wire", url = "https://example.org/a", headline = "H", publishedAt = "2024-02-20T00:00:00Z" },
            }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.EditorKey}");
        using var reply = await service.Http.SendAsync(request);
        var body = await reply.Content.ReadAsStringAsync();
        reply.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return Guid.Parse(JsonNode.Parse(body)!["id"]!.ToString());
    }

    private static async Task<HttpResponseMessage> Get(ServiceProcess service, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {ServiceProcess.ReaderKey}");
        return await service.Http.SendAsync(request);
    }

    private static async Task<TimeSpan> Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("not within 30 s");
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
