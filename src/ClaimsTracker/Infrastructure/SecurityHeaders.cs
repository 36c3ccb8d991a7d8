using Microsoft.AspNetCore.Http.Features;

namespace ClaimsTracker.Infrastructure;

/// <summary>Security headers on every response; the CSP allows only this service's own assets and no inline script, but at /docs.</summary>
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
        // this response's headers as they reach the client, even where the read deadline gives the endpoint its own response
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
