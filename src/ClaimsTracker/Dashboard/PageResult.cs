using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaimsTracker.Dashboard;

/// <summary>A dashboard page: its component rendered on the server, under the dashboard's own security policy.</summary>
public static class PageResult
{
    // only the service's own files: no inline script, no inline handler; live updates come from /events/stream
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IResult Of<TPage>(object parameters, int status = StatusCodes.Status200OK) where TPage : IComponent =>
        new Secured(new RazorComponentResult<TPage>(parameters) { StatusCode = status });

    /// <summary>A page rendered earlier and kept, written as it was.</summary>
    public static IResult Kept(byte[] html) => new Secured(Results.Bytes(html, "text/html; charset=utf-8"));

    private sealed class Secured(IResult page) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            httpContext.Response.Headers.XContentTypeOptions = "nosniff";
            return page.ExecuteAsync(httpContext);
        }
    }
}
