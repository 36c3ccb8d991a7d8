using Microsoft.AspNetCore.Http.Features;

namespace ClaimsTracker.Infrastructure;

/// <summary>
/// Standard security headers on every response. The Content-Security-Policy lets pages load only this service's
/// own scripts, stylesheets and images (wwwroot), with no inline script, no framing and no plugins. A page that
/// sets its own policy keeps it. The API reference UI at /docs runs an inline bootstrap script and gets a policy
/// that allows exactly that.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private const string DocsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // the headers of this response as it reaches the client, even where a later step (the read deadline) gives
        // the endpoint a response of its own
        var headers = http.Features.GetRequiredFeature<IHttpResponseFeature>().Headers;
        http.Response.OnStarting(() =>
        {
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // same-origin: under no-referrer Chromium posts the sign-in form with "Origin: null", which the origin check refuses
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/docs")
                    ? DocsContentSecurityPolicy
                    : ContentSecurityPolicy;
            }

            return Task.CompletedTask;
        });
        return next(http);
    });
}
