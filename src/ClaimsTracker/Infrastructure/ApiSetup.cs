using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Scalar.AspNetCore;
using Wolverine.Http;

namespace ClaimsTracker.Infrastructure;

public static partial class ApiSetup
{
    public static IServiceCollection AddClaimsApi(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = Health.RetryAfterSeconds;
            }
        });
        services.AddOpenApi(OpenApiContract.AddTo);
        services.AddWolverineHttp();
        services.AddGeneratedCode();
        services.AddClaimsHealth();
        services.AddRequestLimits();
        services.AddRequestLog();
        return services;
    }

    public static WebApplication UseClaimsApi(this WebApplication app)
    {
        app.UseRequestLog();
        app.UseSecurityHeaders();
        var requests = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ClaimsTracker.Requests");
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusFor,
            SuppressDiagnosticsCallback = context => IsClientFault(context.Exception, context.HttpContext, requests),
        });
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseBodySizeLimit();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseDatabaseGate();
        app.UseReadDeadline();
        app.UseAuthorization();
        app.UseJsonBodies();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options.OpenApiRoutePattern = "/openapi/{documentName}.json");
        app.MapClaimsHealth();
        app.MapWolverineEndpoints(opts =>
        {
            opts.RejectUnparseableQueryValues = true;
            // a read caught by a database outage gets 503 at the deadline, not at the thaw; streams opt out
            opts.ConfigureEndpoints(ReadDeadline.Apply);
            opts.ConfigureEndpoints(ClaimSizedReadAttribute.Apply);
            opts.AddMiddleware(typeof(WriteHeadersMiddleware), chain => chain.HttpMethods.Contains("POST"));
        });
        return app;
    }

    /// <summary>A body the client sent wrong (cut off, too large, not a form) is its mistake: one Information line, no error, no stack trace.</summary>
    private static bool IsClientFault(Exception exception, HttpContext http, ILogger requests)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: < 500 } bad)
            {
                BodyRefused(requests, http.Request.Method, http.Request.Path.ToString(), bad.StatusCode, bad.Message);
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Method} {Path}: body refused with {StatusCode}, {Reason}")]
    private static partial void BodyRefused(ILogger logger, string method, string path, int statusCode, string reason);

    // a database that cannot be reached is the service's trouble, not the client's; Marten wraps driver errors, so the whole chain is looked at
    private static int StatusFor(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case BadHttpRequestException bad:
                    return bad.StatusCode;
                case TimeoutException:
                    RequestLimits.AnsweredDatabaseUnavailable("deadline");
                    return StatusCodes.Status503ServiceUnavailable;
                case PostgresException { SqlState: "57014" or "57P01" or "57P02" or "57P03" or "53300" or "08000" or "08003" or "08006" }:
                case NpgsqlException and not PostgresException:
                    RequestLimits.AnsweredDatabaseUnavailable("error");
                    return StatusCodes.Status503ServiceUnavailable;
            }
        }

        return StatusCodes.Status500InternalServerError;
    }
}

public static class WriteHeadersMiddleware
{
    public static ProblemDetails Before(HttpContext http) => WriteRequest.CheckHeaders(http);
}
