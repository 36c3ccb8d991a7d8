using System.Net;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ClaimsTracker.BrowserTests;

/// <summary>Signing Chromium in with the real form on the real service (Kestrel), the way a reader does.</summary>
public sealed class SignInInBrowserTests(ServiceFixture service, ITestOutputHelper output) : BrowserContext(service, output)
{
    [Fact]
    public async Task a_reader_signs_in_with_the_form_and_lands_signed_in_on_the_page_they_came_for()
    {
        var page = await Open("/signin?returnUrl=%2Factivity");
        await page.GetByLabel("API key").FillAsync(ServiceFixture.EditorKey);

        var posted = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/signin", StringComparison.Ordinal));
        var origin = await posted.Request.HeaderValueAsync("origin");
        posted.Status.ShouldBe(302, $"the form post with Origin {origin ?? "(none)"} answered {posted.Status}: " +
                                    (posted.Status == 302 ? "" : await posted.TextAsync()));
        origin.ShouldBe(Service.BaseAddress.GetLeftPart(UriPartial.Authority));
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/activity");

        var cookies = await page.Context.CookiesAsync();
        cookies.ShouldContain(c => c.Name == "claimstracker-session" && c.HttpOnly && c.SameSite == SameSiteAttribute.Strict);
        await page.GotoAsync("/signin");
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("Signed in as browser-editor");
        NoProblems();
    }

    [Theory]
    [InlineData("/\t/evil.example/")]
    [InlineData("/\r/x")]
    [InlineData("/\v/x")]
    [InlineData("/\u007f")]
    [InlineData("/é")]
    [InlineData("/\u202e/x")]
    public async Task a_hostile_return_address_over_kestrel_sends_the_signed_in_browser_home_not_a_500(string returnUrl)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Service.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = ServiceFixture.EditorKey, ["returnUrl"] = returnUrl });

        using var signedIn = await http.PostAsync("/signin", form);
        using var page = await http.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        signedIn.Headers.GetValues("Location").ShouldBe(["/"]);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        // a void element as Razor writes it: <input … value="/" />
        (await page.Content.ReadAsStringAsync()).ShouldContain("""<input type="hidden" name="returnUrl" value="/" />""");
    }
}
