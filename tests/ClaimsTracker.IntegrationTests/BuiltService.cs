using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace ClaimsTracker.IntegrationTests;

/// <summary>The service's own build output run as its own process on Kestrel, as it is deployed, for callers outside .NET.</summary>
public sealed partial class BuiltService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private BuiltService(Process process) => _process = process;

    public Uri Address { get; private set; } = null!;

    /// <summary>On a free port of 127.0.0.1, on a database of its own in the assembly's PostgreSQL, without demo data.</summary>
    public static async Task<BuiltService> Start(AppFixture fixture)
    {
        var service = new BuiltService(Launch(await FreshDatabase(fixture.ConnectionString), ["--urls", "http://127.0.0.1:0"], seed: false));
        var listening = new TaskCompletionSource<Uri>();
        service._process.EnableRaisingEvents = true;
        service._process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the service exited at start"));
        service._process.OutputDataReceived += (_, line) => service.Keep(line.Data, listening);
        service._process.ErrorDataReceived += (_, line) => service.Keep(line.Data, listening);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        try
        {
            service.Address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"the service did not start:\n{service.Output}", e);
        }

        return service;
    }

    /// <summary>Everything the service printed so far, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    /// <summary>The built service with the test keys and settings on that database; arguments go to its command line.</summary>
    public static Process Launch(string connectionString, string[] args, bool seed, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServiceAssembly)!,
        };
        info.ArgumentList.Add(ServiceAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in AppFixture.Settings(connectionString))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["Demo__Seed"] = seed ? "true" : "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    /// <summary>A new, empty database beside the fixture's, so a process of its own shares no state with the test host.</summary>
    public static async Task<string> FreshDatabase(string connectionString)
    {
        var name = $"service_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "ClaimsTracker.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("ClaimsTracker.sln not found above the test's folder");
        }
    }

    /// <summary>The service's own build output, in the configuration these tests were built in.</summary>
    private static string ServiceAssembly
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory);   // tests/<project>/bin/<configuration>/<tfm>/
            return Path.Combine(RepositoryRoot, "src", "ClaimsTracker", "bin", here.Parent!.Name, here.Name, "ClaimsTracker.dll");
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops it: the host drains and stops gracefully.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
    }

    private void Keep(string? line, TaskCompletionSource<Uri> listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
