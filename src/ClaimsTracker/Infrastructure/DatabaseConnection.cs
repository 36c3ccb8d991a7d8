using Npgsql;
using Polly;
using Polly.Retry;

namespace ClaimsTracker.Infrastructure;

/// <summary>Connection settings that make an unreachable PostgreSQL fail fast; values already in the connection string win.</summary>
public static class DatabaseConnection
{
    public static string Harden(string connectionString, IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        SetUnlessGiven(builder, "Timeout", configuration.GetValue("Database:ConnectTimeoutSeconds", 3));
        SetUnlessGiven(builder, "Command Timeout", configuration.GetValue("Database:CommandTimeoutSeconds", 5));
        // a connection to a paused or unplugged server is noticed by keepalive, not only by the next command
        SetUnlessGiven(builder, "Keepalive", 10);
        // a stalled write holds a sequence gap the daemon rightly waits on; the server ends such a transaction instead
        var idleSeconds = configuration.GetValue("Database:IdleInTransactionTimeoutSeconds", 30);
        if (idleSeconds > 0 && builder.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={idleSeconds * 1000}".Trim();
        }

        return builder.ConnectionString;
    }

    /// <summary>Give no Target Session Attributes in it: Npgsql lets the string's value override the per-session choice.</summary>
    public static bool IsMultiHost(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',', StringComparison.Ordinal) == true;

    public static bool ReadsFromReplicas(IConfiguration configuration) =>
        configuration.GetConnectionString("Claims") is { } connectionString && IsMultiHost(connectionString)
        && ReadsFrom(configuration) != TargetSessionAttributes.Primary;

    public static TargetSessionAttributes ReadsFrom(IConfiguration configuration) =>
        configuration.GetValue("Database:ReadsFrom", "prefer-standby") switch
        {
            "primary" => TargetSessionAttributes.Primary,
            "standby" => TargetSessionAttributes.Standby,
            _ => TargetSessionAttributes.PreferStandby,
        };

    /// <summary>Only a broken connection is retried, once: Marten's default retried a frozen server's timeouts three times.</summary>
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
