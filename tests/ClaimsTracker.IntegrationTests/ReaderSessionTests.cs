using System.Net;
using Alba;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace ClaimsTracker.IntegrationTests;

/// <summary>
/// A deployment that closes reads to keyless clients (Auth:RequireReaderKey): a browser signs in once with a key and
/// its session cookie opens the pages and the API's reads, never its writes. Its own host on its own database.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReaderSessionTests(AppFixture fixture)
{
    [Fact]
    public async Task a_browser_signs_in_with_a_key_reads_with_its_session_and_still_needs_the_key_to_write()
    {
        var database = $"sessions_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(fixture.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"create database {database}", admin).ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Database = database }.ConnectionString;
        await using var host = await AlbaHost.For<Program>(builder =>
        {
            foreach (var (key, value) in AppFixture.Settings(connectionString))
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Auth:RequireReaderKey", "true");
            builder.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
        using var http = host.Server.CreateClient();

        // closed: the API answers 401, a page sends the browser to the sign-in form and back
        (await Send(http, HttpMethod.Get, "/api/claims")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var page = await Send(http, HttpMethod.Get, "/claims/x?asOf=2026", accept: "text/html");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldBe("/signin?returnUrl=%2Fclaims%2Fx%3FasOf%3D2026");
        // a key typed into the address is not carried on to the sign-in page's address
        var keyInAddress = await Send(http, HttpMethod.Get, $"/claims/x?api_key={AppFixture.ReaderKey}&asOf=2026&Token=t0k3n", accept: "text/html");
        keyInAddress.Headers.Location!.ToString().ShouldBe("/signin?returnUrl=%2Fclaims%2Fx%3FasOf%3D2026");
        (await Send(http, HttpMethod.Get, "/signin?returnUrl=%2F")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // a wrong key, a form from another site, a return address elsewhere: no session, no open redirect
        var wrong = await SignIn(http, "not-a-key", "/");
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await SignIn(http, AppFixture.RevokedKey, "/")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await SignIn(http, AppFixture.ReaderKey, "/", origin: "https://evil.example")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await SignIn(http, AppFixture.ReaderKey, "/", origin: "null")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var elsewhere = await SignIn(http, AppFixture.ReaderKey, "//evil.example/x");
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.Redirect, await elsewhere.Content.ReadAsStringAsync());
        elsewhere.Headers.Location!.ToString().ShouldBe("/");

        // signed in as an editor: reads open with the cookie alone
        var signedIn = await SignIn(http, AppFixture.EditorKey, "/activity");
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.ToString().ShouldBe("/activity");
        var setCookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        setCookie.ShouldContain("httponly", Case.Insensitive);
        setCookie.ShouldContain("samesite=strict", Case.Insensitive);
        setCookie.ShouldNotContain(AppFixture.EditorKey);
        var cookie = setCookie.Split(';')[0];
        (await Send(http, HttpMethod.Get, "/api/claims", cookie: cookie)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Send(http, HttpMethod.Get, "/activity", cookie: cookie, accept: "text/html")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var form = await Send(http, HttpMethod.Get, "/signin", cookie: cookie);
        (await form.Content.ReadAsStringAsync()).ShouldContain("Signed in as <strong>test-editor</strong>");

        // the session never writes, even an editor's: that takes the key in the Authorization header
        var write = await Send(http, HttpMethod.Post, "/api/claims", cookie: cookie,
            json: """{"statement":"S","parties":["Russia"],"topics":["t"],"firstReport":{"outlet":"O","url":"https://example.org/a","headline":"H","publishedAt":"2024-02-20T00:00:00Z"}}""");
        write.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // a forged or altered cookie is no session
        (await Send(http, HttpMethod.Get, "/api/claims", cookie: cookie[..^4] + "AAAA")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // revoking the key ends its sessions on their next request
        var reader = (await SignIn(http, AppFixture.ReaderKey, "/")).Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        (await Send(http, HttpMethod.Get, "/api/claims", cookie: reader)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var configuration = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();
        configuration["Auth:Keys:2:Revoked"] = "true";
        configuration.Reload();
        (await Send(http, HttpMethod.Get, "/api/claims", cookie: reader)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Send(http, HttpMethod.Get, "/api/claims", cookie: cookie)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // signing out ends it
        var signedOut = await Send(http, HttpMethod.Post, "/signout", cookie: cookie);
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedOut.Headers.GetValues("Set-Cookie").Single().ShouldContain("expires=Thu, 01 Jan 1970", Case.Insensitive);
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient http, string key, string returnUrl, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = returnUrl }),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Send(
        HttpClient http, HttpMethod method, string url, string? cookie = null, string? accept = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return http.SendAsync(request);
    }
}
