using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClaimsTracker.Infrastructure;

public sealed class LimitOptions
{
    /// <summary>The largest request body accepted, in bytes; the biggest valid write is a few kilobytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The largest body of an admin import (POST /api/admin/import), an NDJSON export of the whole log.</summary>
    public long MaxImportBodyBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>The largest body of a statement batch (up to 1000 statements) or a ClaimReview import (up to 1000 reviews).</summary>
    public long MaxBatchBodyBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Writes each API key (or, without one, each client address) may make per second, sustained.</summary>
    public int WritesPerSecond { get; set; } = 20;

    public int WriteBurst { get; set; } = 100;

    /// <summary>Seconds before a database read answers 503, if by then the database stopped answering the monitor's pings.</summary>
    public double DatabaseDeadlineSeconds { get; set; } = 5;

    public TimeSpan DatabaseDeadline => TimeSpan.FromSeconds(DatabaseDeadlineSeconds);
}

/// <summary>Body size limits, write rate limits, the database gate and the deadline on database work, all answering with problem details.</summary>
public static class RequestLimits
{
    private static readonly Counter<long> RateLimited = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.requests.rate_limited", "{request}", "Requests refused with 429, by limit: writes (per key) or claim_reads");

    private static readonly Counter<long> DatabaseUnavailableAnswers = Telemetry.Meter.CreateCounter<long>(
        "claimstracker.requests.database_unavailable", "{request}",
        "Requests answered 503 because of the database, by reason: gate (monitor finds it down), deadline, error");

    public static void AnsweredDatabaseUnavailable(string reason) =>
        DatabaseUnavailableAnswers.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitOptions>().BindConfiguration("Limits");
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LimitOptions>>().Value);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitOptions>>((options, configured) =>
        {
            var limits = configured.Value;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                    ? http.GetEndpoint()?.Metadata.GetMetadata<ClaimSizedReadAttribute>() is null
                        ? RateLimitPartition.GetNoLimiter("reads")
                        : RateLimitPartition.GetConcurrencyLimiter("claim-sized reads", _ => new ConcurrencyLimiterOptions
                        {
                            PermitLimit = Environment.ProcessorCount, QueueLimit = 64,
                        })
                    : RateLimitPartition.GetTokenBucketLimiter(
                        http.User.Identity?.Name ?? $"address:{http.Connection.RemoteIpAddress}",
                        _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = limits.WriteBurst,
                            TokensPerPeriod = limits.WritesPerSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        }));
            options.OnRejected = async (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                var read = HttpMethods.IsGet(context.HttpContext.Request.Method) || HttpMethods.IsHead(context.HttpContext.Request.Method);
                RateLimited.Add(1, new KeyValuePair<string, object?>("limit", read ? "claim_reads" : "writes"));
                if (read)
                {
                    await WriteProblem(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many reads of whole claims at once",
                        "Reads that cost a claim's length run as many at a time as the machine has cores, and 64 more wait their turn. " +
                        "Wait for the time in Retry-After and send the request again.");
                    return;
                }

                await WriteProblem(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many writes",
                    $"This key may write {limits.WritesPerSecond} times a second (bursts of {limits.WriteBurst}). " +
                    "Nothing was recorded; wait for the time in Retry-After and send the request again.");
            };
        });
        return services;
    }

    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var limits = http.RequestServices.GetRequiredService<LimitOptions>();
        var path = http.Request.Path;
        var limit = path.StartsWithSegments("/api/admin/import") ? limits.MaxImportBodyBytes
            : path.Value?.EndsWith("/statements/batch", StringComparison.Ordinal) == true || path.StartsWithSegments("/api/import/claimreview")
                ? limits.MaxBatchBodyBytes
            : limits.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLargeIsInvalid(path)
                ? InvalidTooLarge(limit).ToResult().ExecuteAsync(http)
                : WriteProblem(http, StatusCodes.Status413PayloadTooLarge, "The request body is too large", TooLarge(limit));
        }

        // Kestrel then refuses a larger body while reading it, chunked ones too
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        else if (http.Request.ContentLength is null)
        {
            http.Request.Body = new LengthLimitedStream(http.Request.Body, limit);
        }

        return next(http);
    });

    public static IApplicationBuilder UseDatabaseGate(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var path = http.Request.Path;
        if (Telemetry.IsMonitoring(path) || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/docs") ||
            http.RequestServices.GetRequiredService<DatabaseMonitor>().Reachable)
        {
            return next(http);
        }

        AnsweredDatabaseUnavailable("gate");
        return DatabaseUnavailable(http);
    });

    public static Task DatabaseUnavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = Health.RetryAfterSeconds;
        return WriteProblem(http, StatusCodes.Status503ServiceUnavailable, "The database is unavailable",
            "Nothing was recorded. The service cannot reach its database right now; " +
            $"send the request again after {Health.RetryAfterSeconds} seconds (Retry-After).");
    }

    /// <summary>Routes whose body is a file a client assembles itself: one too large is bad input (400 naming the body), not 413.</summary>
    public static bool TooLargeIsInvalid(PathString path) => path.StartsWithSegments("/api/import/claimreview");

    public static ProblemDetails InvalidTooLarge(long limit) => Problems.Invalid("body",
        $"is larger than the {limit.ToString(CultureInfo.InvariantCulture)} bytes an import may be; split the file and import each part");

    public static string TooLarge(long limit) =>
        $"Nothing was recorded. Request bodies may be at most {limit.ToString(CultureInfo.InvariantCulture)} bytes.";

    private static Task WriteProblem(HttpContext http, int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail }).ExecuteAsync(http);
}

/// <summary>Marks a read whose cost grows with one claim's length: only a few run at once, the rest wait their turn.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClaimSizedReadAttribute : Attribute
{
    public static void Apply(Wolverine.Http.HttpChain chain)
    {
        if (chain.Method.Method.GetCustomAttributes(typeof(ClaimSizedReadAttribute), false) is [ClaimSizedReadAttribute marker, ..])
        {
            chain.Metadata.WithMetadata(marker);
        }
    }
}

internal sealed class LengthLimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int read)
    {
        _read += read;
        return _read > limit
            ? throw new Microsoft.AspNetCore.Http.BadHttpRequestException(RequestLimits.TooLarge(limit), StatusCodes.Status413PayloadTooLarge)
            : read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
