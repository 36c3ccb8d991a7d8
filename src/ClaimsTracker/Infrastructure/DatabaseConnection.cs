using Npgsql;

namespace ClaimsTracker.Infrastructure;

/// <summary>
/// Connection settings that make an unreachable PostgreSQL fail fast instead of holding requests for the
/// driver's defaults (15 s to connect, 30 s per command). Values already in the connection string win.
/// </summary>
public static class DatabaseConnection
{
    public static string Harden(string connectionString, IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        SetUnlessGiven(builder, "Timeout", configuration.GetValue("Database:ConnectTimeoutSeconds", 3));
        SetUnlessGiven(builder, "Command Timeout", configuration.GetValue("Database:CommandTimeoutSeconds", 10));
        SetUnlessGiven(builder, "Cancellation Timeout", 2000);
        // a connection to a paused or unplugged server is noticed by keepalive, not only by the next command
        SetUnlessGiven(builder, "Keepalive", 10);
        return builder.ConnectionString;
    }

    private static void SetUnlessGiven(NpgsqlConnectionStringBuilder builder, string keyword, int value)
    {
        if (!builder.ContainsKey(keyword))
        {
            builder[keyword] = value;
        }
    }
}
