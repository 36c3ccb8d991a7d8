using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace ClaimsTracker.Bench;

internal sealed class ProjectionLag(string connectionString)
{
    public const int PollMs = 5;

    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<Acknowledged>> _pending = new();
    private volatile bool _draining;
    private DateTime _drainUntil = DateTime.MaxValue;

    public Latencies Lags { get; } = new();

    public int Missed { get; private set; }

    public void Expect(Acknowledged ack) => _pending.GetOrAdd(ack.ClaimId, _ => new()).Enqueue(ack);

    public Task Drain(TimeSpan limit)
    {
        _drainUntil = DateTime.UtcNow + limit;
        _draining = true;
        return Task.CompletedTask;
    }

    public async Task Watch()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select id, (data ->> 'version')::bigint from claims.mt_doc_claimtimeline where id = any($1)", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = Array.Empty<Guid>() });
        while (true)
        {
            var ids = _pending.Where(p => !p.Value.IsEmpty).Select(p => p.Key).ToArray();
            if (ids.Length == 0 && _draining)
            {
                return;
            }

            if (_draining && DateTime.UtcNow > _drainUntil)
            {
                Missed = _pending.Values.Sum(q => q.Count);
                return;
            }

            query.Parameters[0].Value = ids;
            await using (var reader = await query.ExecuteReaderAsync())
            {
                var seen = Stopwatch.GetTimestamp();
                while (await reader.ReadAsync())
                {
                    var (id, version) = (reader.GetGuid(0), reader.GetInt64(1));
                    var queue = _pending[id];
                    while (queue.TryPeek(out var ack) && ack.Version <= version && queue.TryDequeue(out _))
                    {
                        Lags.Add(Stopwatch.GetElapsedTime(ack.AckTicks, seen).TotalMilliseconds);
                    }
                }
            }

            await Task.Delay(PollMs);
        }
    }
}
