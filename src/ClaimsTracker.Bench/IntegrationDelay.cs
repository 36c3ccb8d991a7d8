using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace ClaimsTracker.Bench;

/// <summary>Acknowledgement to signed checkpoint, both read off this machine's wall clock so no poll interval is added.</summary>
internal sealed class IntegrationDelay(string connectionString)
{
    public const int PollMs = 10;

    private readonly ConcurrentQueue<Acknowledged> _acknowledged = new();
    private readonly List<(long LastSequence, DateTimeOffset SignedAt, long SeenTicks)> _heads = [];
    private readonly (DateTimeOffset Wall, long Ticks) _anchor = (DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
    private readonly CancellationTokenSource _stop = new();
    private long _awaited = long.MaxValue;
    private long _seen;

    /// <summary>From each acknowledgement to the signed_at of the first checkpoint that holds its event (ms).</summary>
    public Latencies Delays { get; } = new();

    /// <summary>From each acknowledgement to the poll that first saw its event in a checkpoint (ms).</summary>
    public Latencies Observed { get; } = new();

    /// <summary>Events whose checkpoint was signed before their write's answer reached the client (counted as 0 ms).</summary>
    public int SignedBeforeAnswer { get; private set; }

    public int Missed { get; private set; }

    public void Expect(Acknowledged ack) => _acknowledged.Enqueue(ack);

    public async Task Watch()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select last_sequence, signed_at from claims.log_state where id = 1 and signed_at is not null", connection);
        await query.PrepareAsync();
        var last = -1L;
        while (!_stop.IsCancellationRequested && Volatile.Read(ref _seen) < Volatile.Read(ref _awaited))
        {
            await using (var reader = await query.ExecuteReaderAsync())
            {
                var seen = Stopwatch.GetTimestamp();
                if (await reader.ReadAsync() && reader.GetInt64(0) != last)
                {
                    last = reader.GetInt64(0);
                    _heads.Add((last, reader.GetFieldValue<DateTimeOffset>(1), seen));
                    Volatile.Write(ref _seen, last);
                }
            }

            try
            {
                await Task.Delay(PollMs, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async Task Finish(Task watching, TimeSpan limit)
    {
        var acks = _acknowledged.ToArray();
        var sequences = await Sequences(acks);
        Volatile.Write(ref _awaited, sequences.Count == 0 ? 0 : sequences.Values.Max());
        _stop.CancelAfter(limit);
        await watching;

        foreach (var ack in acks)
        {
            var head = sequences.TryGetValue((ack.ClaimId, ack.Version), out var seq) ? _heads.FindIndex(h => h.LastSequence >= seq) : -1;
            if (head < 0)
            {
                Missed++;
                continue;
            }

            var (_, signedAt, seenTicks) = _heads[head];
            var answered = _anchor.Wall + Stopwatch.GetElapsedTime(_anchor.Ticks, ack.AckTicks);
            var delay = (signedAt - answered).TotalMilliseconds;
            if (delay < 0)
            {
                SignedBeforeAnswer++;
            }

            Delays.Add(Math.Max(0, delay));
            Observed.Add(Stopwatch.GetElapsedTime(ack.AckTicks, seenTicks).TotalMilliseconds);
        }
    }

    private async Task<Dictionary<(Guid, long), long>> Sequences(IReadOnlyCollection<Acknowledged> acks)
    {
        var found = new Dictionary<(Guid, long), long>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("""
            select e.stream_id, e.version, e.seq_id from claims.mt_events e
            join unnest($1::uuid[], $2::bigint[]) as a(stream_id, version) on e.stream_id = a.stream_id and e.version = a.version
            """, connection);
        query.Parameters.Add(new NpgsqlParameter { Value = acks.Select(a => a.ClaimId).ToArray() });
        query.Parameters.Add(new NpgsqlParameter { Value = acks.Select(a => a.Version).ToArray() });
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[(reader.GetGuid(0), reader.GetInt64(1))] = reader.GetInt64(2);
        }

        return found;
    }
}
