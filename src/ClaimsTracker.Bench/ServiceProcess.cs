using System.Diagnostics;
using System.Net;

namespace ClaimsTracker.Bench;

public sealed class ServiceProcess : IAsyncDisposable
{
    public const string EditorKey = "bench-editor-key";
    public const string AdminKey = "bench-admin-key";

    private readonly Process _process;

    private ServiceProcess(Process process, Uri address, long startedTicks, TimeSpan startup, TimeSpan schemaSetup)
    {
        _process = process;
        Address = address;
        StartedTicks = startedTicks;
        Startup = startup;
        SchemaSetup = schemaSetup;
    }

    public Uri Address { get; }

    public long StartedTicks { get; }

    /// <summary>From process start to the first answered request of the API (GET /api/claims, a Wolverine endpoint).</summary>
    public TimeSpan Startup { get; }

    public TimeSpan SchemaSetup { get; }

    /// <summary>Starts the service as a deployment does: <c>resources setup</c> first (not in <see cref="Startup"/>), then the service.</summary>
    public static async Task<ServiceProcess> Start(
        string serviceDll, string connectionString, int port, bool schemaReady = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var schemaSetup = schemaReady ? TimeSpan.Zero : await SetupSchema(serviceDll, connectionString);
        var address = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(serviceDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString().TrimEnd('/'));
        info.Environment["ConnectionStrings__Claims"] = connectionString;
        info.Environment["Demo__Seed"] = "false";
        info.Environment["Database__ApplySchemaOnStart"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Auth__Keys__0__Name"] = "bench-editor";
        info.Environment["Auth__Keys__0__Role"] = "editor";
        info.Environment["Auth__Keys__0__Key"] = EditorKey;
        info.Environment["Auth__Keys__1__Name"] = "bench-admin";
        info.Environment["Auth__Keys__1__Role"] = "admin";
        info.Environment["Auth__Keys__1__Key"] = AdminKey;
        // the benchmark measures throughput, so the per-key write rate limit is lifted as in tests
        info.Environment["Limits__WritesPerSecond"] = "1000000";
        info.Environment["Limits__WriteBurst"] = "1000000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        var startedTicks = Stopwatch.GetTimestamp();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Console.Error.WriteLine($"  service: {line.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with code {process.ExitCode} before answering");
            }

            try
            {
                // not /health: ASP.NET answers it before Wolverine has generated (or loaded) any endpoint's code
                if ((await probe.GetAsync(new Uri(address, "/api/claims?pageSize=1"))).StatusCode == HttpStatusCode.OK)
                {
                    return new ServiceProcess(process, address, startedTicks, clock.Elapsed, schemaSetup);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(20);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the service did not answer GET /api/claims within 90 s");
    }

    public double CpuSeconds() => CpuTime.OfProcess(_process.Id);

    public static async Task<TimeSpan> SetupSchema(string serviceDll, string connectionString)
    {
        var clock = Stopwatch.StartNew();
        return await Command(serviceDll, connectionString, TimeSpan.FromMinutes(2), [], "resources", "setup")
            ? clock.Elapsed
            : throw new TimeoutException("resources setup did not finish within 2 minutes");
    }

    /// <summary>A JasperFx command of the service; false when it had to be stopped at <paramref name="limit"/>.</summary>
    public static async Task<bool> Command(string serviceDll, string connectionString, TimeSpan limit, List<string> output, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(serviceDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ConnectionStrings__Claims"] = connectionString;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (output)
                {
                    output.Add(line.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (output)
                {
                    output.Add(line.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return false;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments)} failed ({process.ExitCode}): {string.Join('\n', output.TakeLast(30))}");
        }

        return true;
    }

    public double ResidentMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                return kib / 1024.0;
            }
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
