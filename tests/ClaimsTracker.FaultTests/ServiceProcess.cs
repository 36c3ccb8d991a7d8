using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClaimsTracker.FaultTests;

/// <summary>The built service run as a separate process on 127.0.0.1 (ports 5400-5499), to be killed and restarted.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string EditorKey = "fault-editor-key";
    public const string AdminKey = "fault-admin-key";
    public const string ReaderKey = "fault-reader-key";
    public const string RevokedKey = "fault-revoked-key";

    private static int _nextPort = 5400 + Environment.ProcessId % 50;
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _extra;
    private Process? _process;

    private ServiceProcess(string connectionString, IReadOnlyDictionary<string, string> extra, int port)
    {
        _connectionString = connectionString;
        _extra = extra;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    /// <summary>The service process's resident memory now.</summary>
    public long ResidentBytes
    {
        get
        {
            _process!.Refresh();
            return _process.WorkingSet64;
        }
    }

    public HttpClient Http { get; }

    /// <summary>Everything the service wrote to stdout and stderr, over all its runs.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public static async Task<ServiceProcess> Start(string connectionString, IReadOnlyDictionary<string, string>? extra = null)
    {
        var service = new ServiceProcess(connectionString, extra ?? new Dictionary<string, string>(), FreePort());
        await service.Start();
        return service;
    }

    public async Task Start()
    {
        Launch();
        await UntilLive();
    }

    /// <summary>Starts the process without waiting for its first answer: its background services start before it listens.</summary>
    public void Launch()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceAssembly)!,
        };
        info.ArgumentList.Add(ServiceAssembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{Port}");
        foreach (var (key, value) in Settings(_connectionString).Concat(_extra))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task UntilLive()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            _process!.HasExited.ShouldBeFalse($"the service exited at start:\n{string.Join('\n', Output.TakeLast(40))}");
            try
            {
                using var live = await Http.GetAsync("/health/live");
                if (live.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the service did not start:\n{string.Join('\n', Output.TakeLast(40))}");
    }

    /// <summary>SIGKILL: no shutdown code runs, in-flight requests and transactions are cut off.</summary>
    public async Task Kill()
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the host drains and stops gracefully.</summary>
    public async Task<int> Stop()
    {
        if (_process is null || _process.HasExited)
        {
            return _process?.ExitCode ?? 0;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Runs the service's command line (e.g. projections rebuild) against the same database.</summary>
    public async Task<(int ExitCode, string Output)> Cli(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceAssembly)!,
        };
        info.ArgumentList.Add(ServiceAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Settings(_connectionString))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Http.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            Output.Enqueue(line);
        }
    }

    private static Dictionary<string, string> Settings(string connectionString) => new()
    {
        ["ConnectionStrings:Claims"] = connectionString,
        ["Demo:Seed"] = "false",
        ["Limits:WritesPerSecond"] = "1000000",
        ["Limits:WriteBurst"] = "1000000",
        ["Webhooks:AllowPrivateTargets"] = "true",   // the test receivers listen on loopback
        ["Logging:LogLevel:Default"] = "Warning",
        ["Auth:Keys:0:Name"] = "fault-editor", ["Auth:Keys:0:Role"] = "editor", ["Auth:Keys:0:Key"] = EditorKey,
        ["Auth:Keys:1:Name"] = "fault-admin", ["Auth:Keys:1:Role"] = "admin", ["Auth:Keys:1:Key"] = AdminKey,
        ["Auth:Keys:2:Name"] = "fault-reader", ["Auth:Keys:2:Role"] = "reader", ["Auth:Keys:2:Key"] = ReaderKey,
        ["Auth:Keys:3:Name"] = "fault-former-editor", ["Auth:Keys:3:Role"] = "editor", ["Auth:Keys:3:Key"] = RevokedKey,
        ["Auth:Keys:3:Revoked"] = "true",
    };

    private static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = 5400 + Interlocked.Increment(ref _nextPort) % 100;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port in 5400-5499");
    }

    /// <summary>The service's own build output, in the configuration these tests were built in.</summary>
    private static string ServiceAssembly
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory);   // tests/<project>/bin/<configuration>/<tfm>/
            var root = here;
            while (!File.Exists(Path.Combine(root.FullName, "ClaimsTracker.sln")))
            {
                root = root.Parent!;
            }

            return Path.Combine(root.FullName, "src", "ClaimsTracker", "bin", here.Parent!.Name, here.Name, "ClaimsTracker.dll");
        }
    }
}
