using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ClaimsTracker.BrowserTests;

/// <summary>
/// A page in the browser that remembers what went wrong in it: console errors (a refused script or style is one),
/// dialogs, uncaught exceptions. Tests share the service and its data, so each makes its own claims.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserContext(ServiceFixture service, ITestOutputHelper output) : IAsyncLifetime
{
    protected ServiceFixture Service { get; } = service;

    protected ITestOutputHelper Output { get; } = output;

    protected List<string> Problems { get; } = [];

    private readonly List<IPage> _pages = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var page in _pages)
        {
            await page.Context.DisposeAsync();
        }
    }

    protected async Task<IPage> Open(string path, int width = 1280, int height = 900)
    {
        var page = await Service.OpenPage(width, height);
        _pages.Add(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Problems.Add($"console error on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Problems.Add($"uncaught error on {page.Url}: {error}");
        page.Dialog += async (_, dialog) =>
        {
            Problems.Add($"dialog on {page.Url}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        var response = await page.GotoAsync(path);
        response.ShouldNotBeNull();
        response.Status.ShouldBe(200, $"GET {path}");
        return page;
    }

    /// <summary>Waits until the page's event stream is connected, so that a write made next is one it must show.</summary>
    protected static Task Live(IPage page) =>
        page.Locator("html[data-live='connected']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Waits, up to 15 s, until <paramref name="condition"/> holds on the page. Playwright's own WaitForFunction would
    /// evaluate a string, which the pages' Content-Security-Policy (no unsafe-eval) rightly refuses.
    /// </summary>
    protected static async Task Eventually(IPage page, string condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await page.EvaluateAsync<bool>($"() => Boolean({condition})"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still false after 15 s on {page.Url}: {condition}");
            }

            await Task.Delay(50);
        }
    }

    protected static async Task Screenshot(IPage page, string name, bool fullPage = true) =>
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ServiceFixture.Artifacts("screenshots"), name + ".png"), FullPage = fullPage,
        });

    protected async Task<string> RegisteredClaim(string statement, string[]? parties = null, string[]? topics = null)
    {
        var reply = await Post("/api/claims", new
        {
            statement,
            parties = parties ?? ["Russia", "North Korea"],
            topics = topics ?? ["weapons"],
            firstReport = new
            {
                outlet = "Example Wire", url = "https://example.org/a", headline = "A report", publishedAt = "2024-02-20T00:00:00Z",
            },
        });
        return reply.GetProperty("id").GetString()!;
    }

    protected Task<JsonElement> Statement(string claimId, string source, string party, string stance, string statedAt,
        string quote = "On the record.") => Post($"/api/claims/{claimId}/statements", new
        {
            source = new { name = source, role = "spokesperson", party },
            stance,
            quote,
            statedAt,
        });

    protected async Task<JsonElement> Post(string path, object body)
    {
        using var reply = await Service.Api.PostAsJsonAsync(path, body);
        var text = await reply.Content.ReadAsStringAsync();
        reply.StatusCode.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], $"POST {path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected void NoProblems() => Problems.ShouldBeEmpty(string.Join('\n', Problems));
}
