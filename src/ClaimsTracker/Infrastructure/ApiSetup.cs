using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Scalar.AspNetCore;
using Wolverine.Http;

namespace ClaimsTracker.Infrastructure;

public static class ApiSetup
{
    public static IServiceCollection AddClaimsApi(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi(options => options.AddDocumentTransformer<BearerKeyTransformer>());
        services.AddWolverineHttp();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("postgresql");
        return services;
    }

    public static WebApplication UseClaimsApi(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusFor });
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options.OpenApiRoutePattern = "/openapi/{documentName}.json");
        app.MapHealthChecks("/health");
        app.MapWolverineEndpoints(opts =>
        {
            opts.RejectUnparseableQueryValues = true;
            opts.AddMiddleware(typeof(WriteHeadersMiddleware), chain => chain.HttpMethods.Contains("POST"));
        });
        return app;
    }

    /// <summary>A database that cannot be reached is the service's trouble, not the client's: 503, try again.</summary>
    private static int StatusFor(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } or TimeoutException => StatusCodes.Status503ServiceUnavailable,
        BadHttpRequestException bad => bad.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };
}

public static class WriteHeadersMiddleware
{
    public static ProblemDetails Before(HttpContext http) => WriteRequest.CheckHeaders(http);
}

public sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var session = store.QuerySession();
            await using var command = new NpgsqlCommand("select 1", session.Connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", e);
        }
    }
}
