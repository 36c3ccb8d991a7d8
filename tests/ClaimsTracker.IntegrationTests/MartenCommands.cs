using System.Collections.Concurrent;
using System.Diagnostics;
using Marten;
using Marten.Services;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// The commands Marten runs for the requests a test watches, told apart by the trace id each request carries, so the
/// async daemon and the log sequencer reading beside them do not count.
/// </summary>
public sealed class MartenCommands : IMartenLogger, IMartenSessionLogger
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<NpgsqlBatchCommand>> _watched = new();

    public ConcurrentQueue<NpgsqlBatchCommand> Watch(ActivityTraceId trace) => _watched.GetOrAdd(trace, _ => new());

    public void Forget(ActivityTraceId trace) => _watched.TryRemove(trace, out _);

    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) { }

    public void LogSuccess(NpgsqlCommand command) => Keep(command.CommandText, command.Parameters);

    public void LogSuccess(NpgsqlBatch batch)
    {
        foreach (var command in batch.BatchCommands.OfType<NpgsqlBatchCommand>())
        {
            Keep(command.CommandText, command.Parameters);
        }
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) { }

    public void LogFailure(NpgsqlBatch batch, Exception ex) { }

    public void LogFailure(Exception ex, string message) { }

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private void Keep(string sql, NpgsqlParameterCollection parameters)
    {
        if (Activity.Current is { } request && _watched.TryGetValue(request.TraceId, out var commands))
        {
            var copy = new NpgsqlBatchCommand(sql);
            foreach (NpgsqlParameter parameter in parameters)
            {
                copy.Parameters.Add(parameter.Clone());
            }

            commands.Enqueue(copy);
        }
    }
}
