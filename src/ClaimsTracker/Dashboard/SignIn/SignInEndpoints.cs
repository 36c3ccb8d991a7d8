using System.Buffers;
using ClaimsTracker.Dashboard.Components;
using ClaimsTracker.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace ClaimsTracker.Dashboard;

/// <summary>
/// Signing a browser in with an API key, for deployments that close reads to keyless clients
/// (<c>Auth:RequireReaderKey</c>). The session opens the pages and the live stream; writes still need the key in the
/// form that sends them.
/// </summary>
public static class SignInEndpoints
{
    [WolverineGet("/signin")]
    [ExcludeFromDescription]
    public static async Task<IResult> Get(HttpContext http, string? returnUrl)
    {
        var session = await http.AuthenticateAsync(ReaderSessions.CookieScheme);
        return Form(LocalOrHome(returnUrl), session.Succeeded ? session.Principal : null, error: null, StatusCodes.Status200OK);
    }

    [WolverinePost("/signin")]
    [ExcludeFromDescription]
    public static async Task<IResult> Post(HttpContext http, IOptionsMonitor<AuthOptions> keys)
    {
        if (!SameOrigin(http))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign in from this site",
                detail: "The sign-in form was sent from another site's page.");
        }

        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        var returnUrl = LocalOrHome(form?["returnUrl"]);
        var presented = form?["key"].ToString();
        if (string.IsNullOrWhiteSpace(presented))
        {
            return Form(returnUrl, null, "Enter an API key.", StatusCodes.Status400BadRequest);
        }

        if (ApiKeyHandler.Find(keys.CurrentValue, presented) is not { } key)
        {
            return Form(returnUrl, null, "That key is unknown or revoked.", StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(ReaderSessions.CookieScheme, ReaderSessions.PrincipalFor(key));
        return Results.Redirect(returnUrl, permanent: false, preserveMethod: false);
    }

    [WolverinePost("/signout")]
    [ExcludeFromDescription]
    public static async Task<IResult> SignOut(HttpContext http)
    {
        await http.SignOutAsync(ReaderSessions.CookieScheme);
        return Results.Redirect("/signin");
    }

    private static readonly SearchValues<char> PathAndQuery =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%");

    /// <summary>Only a plain path and query on this site, in URL characters: browsers drop tabs and read '\\' as '/'.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is ['/', ..] url && !url.StartsWith("//", StringComparison.Ordinal) &&
        url.AsSpan().IndexOfAnyExcept(PathAndQuery) < 0 && EscapesAreWhole(url)
            ? url
            : "/";

    private static bool EscapesAreWhole(string url)
    {
        for (var i = url.IndexOf('%'); i >= 0; i = url.IndexOf('%', i + 1))
        {
            if (i + 2 >= url.Length || !char.IsAsciiHexDigit(url[i + 1]) || !char.IsAsciiHexDigit(url[i + 2]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameOrigin(HttpContext http) =>
        !http.Request.Headers.TryGetValue("Origin", out var origin) ||
        string.Equals(origin.ToString(), $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase);

    private static IResult Form(string returnUrl, System.Security.Claims.ClaimsPrincipal? signedIn, string? error, int status) =>
        PageResult.Of<SignInPage>(new { ReturnUrl = returnUrl, SignedIn = signedIn, Error = error }, status);
}
