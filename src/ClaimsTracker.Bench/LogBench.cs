using System.Diagnostics;
using Npgsql;

namespace ClaimsTracker.Bench;

internal sealed record CatchUp(bool Finished, long Leaves, long Events, double Seconds, double FirstCheckpoint, double ServiceCpu, double MachineCpu)
{
    public double Rate => Leaves / Seconds;
}

internal static class LogBench
{
    public const int PollMs = 20;

    /// <summary>Timed from process start until the head holds every event; head and checkpoint commit together, so the size seen is signed.</summary>
    public static async Task<CatchUp> CatchUp(string serviceDll, string connectionString, int port, long events, TimeSpan limit)
    {
        var machine = CpuTime.OfMachine();
        await using var service = await ServiceProcess.Start(serviceDll, connectionString, port, schemaReady: true);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var head = new NpgsqlCommand("select tree_size from claims.log_state where id = 1 and signed_at is not null", connection);
        await head.PrepareAsync();
        var (size, first) = (0L, double.NaN);
        while (Stopwatch.GetElapsedTime(service.StartedTicks) < limit)
        {
            if (await head.ExecuteScalarAsync() is long signed)
            {
                size = signed;
                first = double.IsNaN(first) ? Stopwatch.GetElapsedTime(service.StartedTicks).TotalSeconds : first;
                if (size >= events)
                {
                    break;
                }
            }

            await Task.Delay(PollMs);
        }

        var seconds = Stopwatch.GetElapsedTime(service.StartedTicks).TotalSeconds;
        return new CatchUp(size >= events, size, events, seconds, first, service.CpuSeconds(), CpuTime.OfMachine() - machine);
    }

    /// <summary>A leaf index spread over [0, size) by the request's number: the same leaves in every run.</summary>
    public static long Leaf(int request, long size) => (long)(unchecked((ulong)(request + 1) * 0x9E3779B97F4A7C15UL) % (ulong)size);
}
