using System.Diagnostics;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>Integrates committed events into the Merkle tree off the writes' transactions; a batch commits only if the head is still the one it extended.</summary>
public sealed class LogSequencer(
    IDocumentStore store, LogReader log, LogKeys keys, IOptions<LogOptions> options, LogStatus status, ILogger<LogSequencer> logger)
    : BackgroundService
{
    internal const long LeaderLock = 0x436c61696d4c6f67;   // "ClaimLog"
    private const int BatchSize = 10_000;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly LogTables _tables = log.Tables;
    private Gap? _gap;

    /// <summary>A hole in the sequence before a visible event: filled once a transaction that may hold it commits.</summary>
    private sealed record Gap(long From, DateTime Observed, long Since);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var leader = await Lead(stopping);
                if (leader is null)
                {
                    await Task.Delay(Retry, stopping);
                    continue;
                }

                logger.LogInformation("This node integrates the public log, signed by {Key}", keys.Current);
                if (keys.IsDevelopment)
                {
                    logger.LogWarning("The public log is signed with the published development key: anyone can forge its checkpoints. Set Audit:SigningKey.");
                }

                await using var work = await Open(stopping);
                var tree = await TreeEdge.Load(work, log, stopping);
                // a hole seen before a reload may have been at the same number of an emptied store: observe it afresh
                _gap = null;
                await SignHeadIfNeeded(work, tree, stopping);
                status.Leading(true);
                var alive = Stopwatch.StartNew();
                while (!stopping.IsCancellationRequested)
                {
                    var integrated = await Integrate(work, tree, stopping);
                    if (alive.Elapsed > Retry)
                    {
                        // the lock lives as long as this connection: once it breaks, another node may lead
                        await using var ping = new NpgsqlCommand("select 1", leader.Connection);
                        await ping.ExecuteScalarAsync(stopping);
                        alive.Restart();
                    }

                    if (integrated < BatchSize)
                    {
                        await Task.Delay(Poll, stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (HeadMovedException e)
            {
                status.Leading(false);
                logger.LogInformation("The log's sequencer reloads: {Reason}", e.Message);
            }
            catch (Exception e)
            {
                status.Leading(false);
                logger.LogWarning(e, "The log's sequencer stopped ({Reason}); it starts again from the stored head", e.Message);
                await Task.Delay(Retry, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        status.Leading(false);
    }

    private async Task<NpgsqlConnection> Open(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    private async Task<Lease?> Lead(CancellationToken ct)
    {
        var connection = await Open(ct);
        await using var take = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = LeaderLock } } };
        if (await take.ExecuteScalarAsync(ct) is true)
        {
            return new Lease(connection);
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>The lock's connection; released explicitly, since a pooled connection would keep the lock until its reuse.</summary>
    private sealed class Lease(NpgsqlConnection connection) : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand("select pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = LeaderLock } } };
                await release.ExecuteScalarAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // a broken connection released the lock with its session
            }

            await connection.DisposeAsync();
        }
    }

    /// <summary>Signs the stored head again when no checkpoint exists yet or its key has been rotated out.</summary>
    private async Task SignHeadIfNeeded(NpgsqlConnection connection, TreeEdge tree, CancellationToken ct)
    {
        var head = await log.Head(connection, ct);
        if (head.Checkpoint is { } note && keys.VerifierFor(head.Size).TryOpen(note, out _))
        {
            status.Integrated(head.Size, head.SignedAt, null);
            return;
        }

        await Commit(connection, tree, head.LastSequence, [], [], ct);
    }

    private async Task<int> Integrate(NpgsqlConnection connection, TreeEdge tree, CancellationToken ct)
    {
        var rows = new List<StoredEvent>();
        await using (var read = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"select tree_size from {_tables.State} where id = 1"),
                new NpgsqlBatchCommand($"select {StoredEvent.Columns} from {_tables.Events} where seq_id > $1 order by seq_id limit $2")
                {
                    Parameters = { new() { Value = tree.LastSequence }, new() { Value = BatchSize } },
                },
            },
        })
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct) || reader.GetInt64(0) != tree.Size)
            {
                throw new HeadMovedException($"the stored head is no longer at size {tree.Size}: another node led, or the store was emptied");
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(StoredEvent.Read(reader));
            }
        }

        var accepted = new List<StoredEvent>(rows.Count);
        var expected = tree.LastSequence + 1;
        foreach (var row in rows)
        {
            if (row.Sequence != expected && !await GapIsPermanent(connection, expected, row.Sequence, ct))
            {
                break;
            }

            accepted.Add(row);
            expected = row.Sequence + 1;
        }

        status.Waiting = accepted.Count < rows.Count ? DateTimeOffset.UtcNow - rows[accepted.Count].RecordedAt : null;
        if (accepted.Count == 0)
        {
            return 0;
        }

        var hashes = new byte[accepted.Count][];
        Parallel.For(0, accepted.Count, new ParallelOptions { CancellationToken = ct }, i => hashes[i] = LogEntry.LeafHash(accepted[i]));
        await Commit(connection, tree, accepted[^1].Sequence, accepted, hashes, ct);
        return accepted.Count;
    }

    // a hole whose writer began before the later event was visible is permanent once every transaction begun by then has ended
    private async Task<bool> GapIsPermanent(NpgsqlConnection connection, long from, long to, CancellationToken ct)
    {
        if (_gap is not { } gap || gap.From != from)
        {
            // read as DateTimeOffset: ExecuteScalar gives a timestamptz as a DateTime, which the cast refused
            await using var clock = new NpgsqlCommand("select clock_timestamp()", connection);
            _gap = new Gap(from, (DateTime)(await clock.ExecuteScalarAsync(ct))!, Stopwatch.GetTimestamp());
            return false;
        }

        await using var older = new NpgsqlCommand("""
            select pid from pg_stat_activity
            where backend_type = 'client backend' and datname = current_database() and pid <> pg_backend_pid() and xact_start <= $1
            limit 1
            """, connection) { Parameters = { new() { Value = gap.Observed } } };
        if (await older.ExecuteScalarAsync(ct) is int pid)
        {
            if (Stopwatch.GetElapsedTime(gap.Since) > TimeSpan.FromSeconds(10))
            {
                logger.LogWarning("The log waits for sequence {Sequence}: backend {Pid} has a transaction open since before it", from, pid);
                _gap = gap with { Since = Stopwatch.GetTimestamp() };
            }

            return false;
        }

        await using var filled = new NpgsqlCommand($"select exists (select 1 from {_tables.Events} where seq_id >= $1 and seq_id < $2)", connection)
        {
            Parameters = { new() { Value = from }, new() { Value = to } },
        };
        if (await filled.ExecuteScalarAsync(ct) is true)
        {
            return false;   // it committed meanwhile: the next read takes it in order
        }

        _gap = null;
        return true;
    }

    private async Task Commit(NpgsqlConnection connection, TreeEdge tree, long lastSequence, IReadOnlyList<StoredEvent> events,
        IReadOnlyList<byte[]> hashes, CancellationToken ct)
    {
        var oldSize = tree.Size;
        for (var i = 0; i < hashes.Count; i++)
        {
            tree.Append(hashes[i], events[i].Sequence);
        }

        var root = tree.Root();
        var signer = keys.SignerFor(tree.Size)
            ?? throw new InvalidOperationException($"no signing key for tree size {tree.Size}: its Audit:Keys entry has only a verifier");
        var note = signer.Sign(new Checkpoint(options.Value.LogOrigin, tree.Size, root).Body());
        var (tiles, runs) = tree.TakeChanges();

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            update {_tables.State} set tree_size = $1, last_sequence = $2, root = $3, checkpoint = $4, signed_at = clock_timestamp()
            where id = 1 and tree_size = $5
            """)
        {
            Parameters =
            {
                new() { Value = tree.Size }, new() { Value = lastSequence }, new() { Value = root }, new() { Value = note },
                new() { Value = oldSize },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            insert into {_tables.Tiles} (level, idx, hashes) select * from unnest($1::int[], $2::bigint[], $3::bytea[])
            on conflict (level, idx) do update set hashes = excluded.hashes
            """)
        {
            Parameters =
            {
                new() { Value = tiles.Select(t => t.Level).ToArray() }, new() { Value = tiles.Select(t => t.Index).ToArray() },
                new() { Value = tiles.Select(t => t.Hashes).ToArray() },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            insert into {_tables.Runs} (first_leaf, first_sequence, count) select * from unnest($1::bigint[], $2::bigint[], $3::bigint[])
            on conflict (first_leaf) do update set count = excluded.count
            """)
        {
            Parameters =
            {
                new() { Value = runs.Select(r => r.FirstLeaf).ToArray() }, new() { Value = runs.Select(r => r.FirstSequence).ToArray() },
                new() { Value = runs.Select(r => r.Count).ToArray() },
            },
        });
        await batch.ExecuteNonQueryAsync(ct);
        if (batch.BatchCommands[0].RecordsAffected != 1)
        {
            throw new HeadMovedException($"the log's head moved from size {oldSize} under this sequencer: another node led, or the store was emptied");
        }

        await transaction.CommitAsync(ct);
        tree.LastSequence = lastSequence;
        var now = DateTimeOffset.UtcNow;
        status.Integrated(tree.Size, now, events.Count == 0 ? null : now - events.Min(e => e.RecordedAt));
    }
}

internal sealed class HeadMovedException(string message) : Exception(message);
