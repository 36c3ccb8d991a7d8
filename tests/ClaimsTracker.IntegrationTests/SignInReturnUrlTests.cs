using System.Net;
using System.Text.RegularExpressions;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// Where the sign-in form sends the browser once the key is accepted: only a path on this site. Anything a browser
/// could read as another site (after dropping tabs and newlines, or turning '\' into '/'), or that cannot be a header,
/// goes home, and never as a 500.
/// </summary>
public sealed partial class SignInReturnUrlTests(AppFixture fixture) : IntegrationContext(fixture)
{
    public static TheoryData<string> Hostile => new()
    {
        "/\t/evil.example/", "/\r/x", "/\n/x", "/\v/x", "/\u007f", "/é", "/\u202e/x", "/x y", "//evil", "/\\evil",
        "https://evil", "evil", "", "/%zz",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task a_return_address_that_is_not_a_plain_path_on_this_site_sends_the_signed_in_browser_home(string returnUrl)
    {
        var reply = await SignIn(returnUrl);

        reply.StatusCode.ShouldBe(HttpStatusCode.Redirect, await reply.Content.ReadAsStringAsync());
        reply.Headers.GetValues("Location").ShouldBe(["/"]);
    }

    [Theory]
    [InlineData("/claims?x=1")]
    [InlineData("/claims/00000000-0000-0000-0000-000000000001?asOf=2024-02-20T00%3A00%3A00Z")]
    [InlineData("/sources/dmitry-peskov?page=2&pageSize=10")]
    [InlineData("/")]
    public async Task a_plain_path_on_this_site_is_where_the_signed_in_browser_goes(string returnUrl)
    {
        var reply = await SignIn(returnUrl);

        reply.StatusCode.ShouldBe(HttpStatusCode.Redirect, await reply.Content.ReadAsStringAsync());
        reply.Headers.GetValues("Location").ShouldBe([returnUrl]);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task the_sign_in_form_given_a_hostile_return_address_renders_with_home_instead(string returnUrl)
    {
        using var reply = await Api.Http.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var page = await reply.Content.ReadAsStringAsync();

        reply.StatusCode.ShouldBe(HttpStatusCode.OK, page);
        ReturnField().Match(page).Groups[1].Value.ShouldBe("/");
    }

    private async Task<HttpResponseMessage> SignIn(string returnUrl)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = AppFixture.ReaderKey, ["returnUrl"] = returnUrl }),
        };
        return await Api.Http.SendAsync(request);
    }

    [GeneratedRegex("""<input type="hidden" name="returnUrl" value="([^"]*)" ?/?>""")]
    private static partial Regex ReturnField();
}
