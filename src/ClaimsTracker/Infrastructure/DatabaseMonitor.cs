using Npgsql;

namespace ClaimsTracker.Infrastructure;

/// <summary>Pings PostgreSQL every second on a thread of its own, so requests are refused with 503 at once while it is unreachable.</summary>
public sealed class DatabaseMonitor : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private const int FailuresBeforeDown = 2;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<DatabaseMonitor> _logger;
    private static readonly TimeSpan AnswerGoesStale = TimeSpan.FromSeconds(4);

    private int _consecutiveFailures;
    private volatile bool _reachable = true;
    private long _lastAnswer = Environment.TickCount64;

    public DatabaseMonitor(IConfiguration configuration, ILogger<DatabaseMonitor> logger)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseConnection.Harden(
            configuration.GetConnectionString("Claims") ?? "", configuration))
        {
            Timeout = 2, CommandTimeout = 2, MaxPoolSize = 2, ApplicationName = "claimstracker-monitor",
            CancellationTimeout = -1,   // a timed-out ping does not wait for a frozen server to answer its cancellation
        };
        if (DatabaseConnection.IsMultiHost(builder.ConnectionString))
        {
            builder.TargetSessionAttributes = "primary";   // with read replicas, the health that matters is the primary's
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _logger = logger;
    }

    /// <summary>False after two failed pings in a row; true again after the first ping that succeeds.</summary>
    public bool Reachable => _reachable;

    /// <summary>True while PostgreSQL has answered a ping in the last four seconds (pings go out every second).</summary>
    public bool AnsweringNow => Environment.TickCount64 - Interlocked.Read(ref _lastAnswer) <= AnswerGoesStale.TotalMilliseconds;

    /// <summary>False when the work still runs and the database has stopped answering: a request slow on a healthy database is not an outage.</summary>
    public async Task<bool> WaitWhileAnswering(Task work, TimeSpan deadline, CancellationToken ct)
    {
        try
        {
            // WaitAsync drops its timer as soon as the work ends: a read answered in 5 ms leaves no 5 s timer behind
            await work.WaitAsync(deadline, ct);
            return true;
        }
        catch (Exception) when (work.IsCompleted)
        {
            return true;   // the work's own failure: its caller awaits it and meets it there
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            while (!work.IsCompleted && AnsweringNow)
            {
                await Task.WhenAny(work, Task.Delay(250, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        return work.IsCompleted;
    }

    /// <summary>The latest pings' verdict, for the health checks: no request waits on a ping of its own.</summary>
    public bool Healthy => _reachable && AnsweringNow;

    private readonly CancellationTokenSource _stopping = new();
    private Thread? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = new Thread(Run) { IsBackground = true, Name = "database-monitor", Priority = ThreadPriority.AboveNormal };
        _loop.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _loop?.Join(ProbeTimeout + Interval);   // so that nothing of the loop runs once the monitor is disposed
        return Task.CompletedTask;
    }

    // cut off by the clock, not by cancelling: a frozen server does not answer a cancel either
    private Exception? Probe()
    {
        Exception? failure = null;
        using var done = new ManualResetEventSlim();
        var ping = new Thread(() =>
        {
            try
            {
                using var command = _dataSource.CreateCommand("select 1");
                command.ExecuteScalar();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                // ignore a late answer: the monitor gave up on it already
                try { done.Set(); } catch (ObjectDisposedException) { }
            }
        }) { IsBackground = true, Name = "database-ping" };
        ping.Start();
        return done.Wait(ProbeTimeout) ? failure : new TimeoutException($"no answer within {ProbeTimeout.TotalSeconds:0} s");
    }

    private void Run()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            var failure = Probe();
            if (failure is null)
            {
                if (!_reachable)
                {
                    _logger.LogWarning("PostgreSQL answers again; requests are served");
                }

                _consecutiveFailures = 0;
                _reachable = true;
                Interlocked.Exchange(ref _lastAnswer, Environment.TickCount64);
            }
            else if (++_consecutiveFailures >= FailuresBeforeDown && _reachable)
            {
                _reachable = false;
                _logger.LogError("PostgreSQL does not answer ({Reason}); requests get 503 until it does", failure.Message);
            }
            else if (_reachable)
            {
                continue;   // one slow answer may be load: ask again at once before refusing requests
            }

            stopping.WaitHandle.WaitOne(Interval);
        }
    }

    // the container disposes it twice: once as the singleton, once as the hosted service it also is
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _dataSource.Dispose();   // the token source stays undisposed: a ping still running may yet look at it
    }

    private int _disposed;
}
