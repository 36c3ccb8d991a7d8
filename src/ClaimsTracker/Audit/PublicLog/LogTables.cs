using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace ClaimsTracker.Audit.PublicLog;

public sealed class LogTables(string schema)
{
    public string State { get; } = $"{schema}.log_state";
    public string Tiles { get; } = $"{schema}.log_tiles";
    public string Runs { get; } = $"{schema}.log_runs";
    public string Events { get; } = $"{schema}.mt_events";

    public static LogTables Of(IReadOnlyStoreOptions options) => new(options.Events.DatabaseSchemaName);

    public static void Register(StoreOptions opts)
    {
        var schema = opts.Events.DatabaseSchemaName;
        var state = new Table($"{schema}.log_state");
        state.AddColumn<int>("id").AsPrimaryKey();
        state.AddColumn<long>("tree_size").NotNull();
        state.AddColumn<long>("last_sequence").NotNull();
        state.AddColumn("root", "bytea").NotNull();
        state.AddColumn<string>("checkpoint");
        state.AddColumn("signed_at", "timestamptz");
        opts.Storage.ExtendedSchemaObjects.Add(state);

        var tiles = new Table($"{schema}.log_tiles");
        tiles.AddColumn<int>("level").AsPrimaryKey();
        tiles.AddColumn<long>("idx").AsPrimaryKey();
        tiles.AddColumn("hashes", "bytea").NotNull();
        opts.Storage.ExtendedSchemaObjects.Add(tiles);

        var runs = new Table($"{schema}.log_runs");
        runs.AddColumn<long>("first_leaf").AsPrimaryKey();
        runs.AddColumn<long>("first_sequence").NotNull();
        runs.AddColumn<long>("count").NotNull();
        runs.Indexes.Add(new IndexDefinition("ix_log_runs_first_sequence") { Columns = ["first_sequence"], IsUnique = true });
        opts.Storage.ExtendedSchemaObjects.Add(runs);
    }
}
