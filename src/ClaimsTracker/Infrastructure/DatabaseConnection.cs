using Npgsql;
using Polly;
using Polly.Retry;

namespace ClaimsTracker.Infrastructure;

/// <summary>
/// Connection settings that make an unreachable PostgreSQL fail fast instead of holding requests for the
/// driver's defaults (15 s to connect, 30 s per command), and that bound how long a stalled transaction can hold
/// the projections back. Values already in the connection string win.
/// </summary>
public static class DatabaseConnection
{
    public static string Harden(string connectionString, IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        SetUnlessGiven(builder, "Timeout", configuration.GetValue("Database:ConnectTimeoutSeconds", 3));
        SetUnlessGiven(builder, "Command Timeout", configuration.GetValue("Database:CommandTimeoutSeconds", 5));
        // a connection to a paused or unplugged server is noticed by keepalive, not only by the next command
        SetUnlessGiven(builder, "Keepalive", 10);
        // A write whose process stalls after inserting its events holds a sequence gap that the async daemon
        // rightly waits on (skipping it would lose the event); the server ends such a transaction instead.
        var idleSeconds = configuration.GetValue("Database:IdleInTransactionTimeoutSeconds", 30);
        if (idleSeconds > 0 && builder.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={idleSeconds * 1000}".Trim();
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// A connection string naming several hosts (Host=primary:5432,replica:5432). Give no Target Session Attributes in
    /// it: Npgsql lets the string's value override the per-session choice (reads to a standby, writes to the primary).
    /// Wolverine's own tables are reached with the string's default (any host, in order), so list the primary first.
    /// </summary>
    public static bool IsMultiHost(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',', StringComparison.Ordinal) == true;

    /// <summary>Several hosts are given and reads are not pinned to the primary.</summary>
    public static bool ReadsFromReplicas(IConfiguration configuration) =>
        configuration.GetConnectionString("Claims") is { } connectionString && IsMultiHost(connectionString)
        && ReadsFrom(configuration) != TargetSessionAttributes.Primary;

    /// <summary>
    /// Where read-only query sessions go when several hosts are given: <c>Database:ReadsFrom</c> = prefer-standby (the
    /// default: a replica when one answers, else the primary), standby, or primary.
    /// </summary>
    public static TargetSessionAttributes ReadsFrom(IConfiguration configuration) =>
        configuration.GetValue("Database:ReadsFrom", "prefer-standby") switch
        {
            "primary" => TargetSessionAttributes.Primary,
            "standby" => TargetSessionAttributes.Standby,
            _ => TargetSessionAttributes.PreferStandby,
        };

    /// <summary>
    /// Marten's default read policy retries every database error three times, so a request stuck on a frozen
    /// server waited four command timeouts. Here only a broken connection is retried once (a pool emptied by a
    /// database restart); a timeout is answered with 503 and the client retries under its Idempotency-Key.
    /// </summary>
    public static void Retries(ResiliencePipelineBuilder pipeline) => pipeline.AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = new PredicateBuilder().Handle<Exception>(IsBrokenConnection),
        MaxRetryAttempts = 1,
        Delay = TimeSpan.FromMilliseconds(50),
    });

    private static bool IsBrokenConnection(Exception exception)
    {
        var chain = new List<Exception>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        return chain.Any(e => e is NpgsqlException { IsTransient: true } and not PostgresException) &&
               !chain.Any(e => e is TimeoutException or OperationCanceledException);
    }

    private static void SetUnlessGiven(NpgsqlConnectionStringBuilder builder, string keyword, int value)
    {
        if (!builder.ContainsKey(keyword))
        {
            builder[keyword] = value;
        }
    }
}
