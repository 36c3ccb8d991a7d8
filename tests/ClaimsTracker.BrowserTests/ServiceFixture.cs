using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Testcontainers.PostgreSql;

namespace ClaimsTracker.BrowserTests;

/// <summary>
/// The real service as it is deployed: its own process on Kestrel, on a free port of 127.0.0.1, with the demo claims,
/// over a real PostgreSQL (Testcontainers, image from CLAIMS_TEST_POSTGRES_IMAGE), driven by Debian's chromium.
/// </summary>
public sealed partial class ServiceFixture : IAsyncLifetime
{
    public const string EditorKey = "browser-editor-key";
    public const string AdminKey = "browser-admin-key";

    private readonly PostgreSqlContainer _postgres = new PostgreSqlBuilder(
            Environment.GetEnvironmentVariable("CLAIMS_TEST_POSTGRES_IMAGE") ?? "postgres:15")
        .WithCommand("-c", "fsync=off")
        .Build();

    private Process? _service;
    private readonly List<string> _log = [];
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    /// <summary>The service's database, for tests that change the store behind its back.</summary>
    public string ConnectionString => _postgres.GetConnectionString();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Artifacts(string folder) =>
        Directory.CreateDirectory(Path.Combine(RepositoryRoot, "artifacts", folder)).FullName;

    public string ServiceLog
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log.TakeLast(60));
            }
        }
    }

    public async Task InitializeAsync()
    {
        await _postgres.StartAsync();
        await StartService();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = File.Exists("/usr/lib/chromium/chromium") ? "/usr/lib/chromium/chromium" : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Kills the service without warning (as a crash or a redeploy would) and starts it again on the same database.</summary>
    public async Task Restart()
    {
        await StopService();
        await StartService();
    }

    private async Task StopService()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }

        _service?.Dispose();
        _service = null;
        Api?.Dispose();
    }

    private async Task StartService()
    {
        BaseAddress = await LaunchService();
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EditorKey);
    }

    private async Task<Uri> LaunchService()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ClaimsTracker.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ASPNETCORE_CONTENTROOT"] = Path.Combine(RepositoryRoot, "src", "ClaimsTracker"),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Claims"] = _postgres.GetConnectionString(),
            ["Demo__Seed"] = "true",
            ["Webhooks__AllowPrivateTargets"] = "true",   // the test receivers listen on loopback
            ["Auth__Keys__0__Name"] = "browser-editor",
            ["Auth__Keys__0__Role"] = "editor",
            ["Auth__Keys__0__Key"] = EditorKey,
            ["Auth__Keys__1__Name"] = "browser-admin",
            ["Auth__Keys__1__Role"] = "admin",
            ["Auth__Keys__1__Key"] = AdminKey,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = _service = Process.Start(start) ?? throw new InvalidOperationException("could not start the service");
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_log)
            {
                _log.Add(line);
            }

            if (ListeningOn().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        service.OutputDataReceived += (_, e) => Read(e.Data);
        service.ErrorDataReceived += (_, e) => Read(e.Data);
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        service.EnableRaisingEvents = true;
        service.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"the service exited:\n{ServiceLog}"));

        var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        for (var attempt = 0; ; attempt++)
        {
            // the demo claims load at startup; the board is ready when the last of them is on it
            var board = await probe.GetStringAsync("/");
            if (board.Contains("would violate U.N. sanctions", StringComparison.Ordinal) || attempt > 100)
            {
                return address;
            }

            await Task.Delay(100);
        }
    }

    public async Task<IPage> OpenPage(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await StopService();
        await _postgres.DisposeAsync();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClaimsTracker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ClaimsTracker.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s]+)")]
    private static partial Regex ListeningOn();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "browser";
}
