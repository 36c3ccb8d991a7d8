using JasperFx;
using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Wolverine;

namespace ClaimsTracker.Infrastructure;

/// <summary>Who owns the schema: the service at start (the default), or a <c>resources setup</c> step before it, after which the service only checks it.</summary>
public static class DatabaseSchema
{
    public const string Setting = "Database:ApplySchemaOnStart";

    public static bool AppliedOnStart(IConfiguration configuration) => configuration.GetValue(Setting, true);

    public static void LeaveToSetup(StoreOptions opts) => opts.AutoCreateSchemaObjects = AutoCreate.None;

    public static void LeaveToSetup(WolverineOptions opts) => opts.AutoBuildMessageStorageOnStartup = AutoCreate.None;

    public sealed class RequireAtStart(IDocumentStore store, ILogger<RequireAtStart> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var missing = await Missing(store, cancellationToken);
            if (missing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The database schema is not set up: {missing.Count} table(s)/function(s) missing, e.g. " +
                    $"{string.Join(", ", missing.Take(5))}. {Setting} is false, so the service does not create them " +
                    "itself: run `ClaimsTracker resources setup` (or `dotnet ClaimsTracker.dll resources setup`) with the " +
                    $"same settings first, or remove {Setting}=false to have the service apply the schema when it starts.");
            }

            logger.LogInformation("Database schema present ({Setting}=false: not compared or changed at start)", Setting);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public static async Task<IReadOnlyList<string>> Missing(IDocumentStore store, CancellationToken cancellationToken)
    {
        var database = store.Storage.Database;
        var expected = database.AllObjects()
            .Where(o => o is Table or Sequence or Function)
            .OrderBy(o => o is Table ? 0 : 1)   // the message names tables first
            .Select(o => o.Identifier.QualifiedName.ToLowerInvariant())
            .Distinct()
            .ToList();
        var schemas = database.AllObjects().Select(o => o.Identifier.Schema.ToLowerInvariant()).Distinct().ToArray();

        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = any(@schemas) and c.relkind in ('r', 'p', 'S')
            union
            select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = any(@schemas)
            """, connection);
        command.Parameters.AddWithValue("schemas", schemas);
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        return expected.Where(name => !present.Contains(name)).ToList();
    }
}
