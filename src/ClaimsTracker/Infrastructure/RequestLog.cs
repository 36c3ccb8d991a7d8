using System.Diagnostics;

namespace ClaimsTracker.Infrastructure;

/// <summary>One line per request in place of ASP.NET Core's hosting log, with a key put in the query string redacted.</summary>
public static partial class RequestLog
{
    public const string Redacted = "[redacted]";

    private static readonly string[] KeyLikeWords =
        ["key", "token", "secret", "passw", "pwd", "auth", "credential", "session", "signature", "bearer"];

    public static IServiceCollection AddRequestLog(this IServiceCollection services) =>
        // more specific than any level configured for "Microsoft" or "Default", so it holds under Debug too
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));

    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("ClaimsTracker.Requests");
        return app.Use(async (http, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(http);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(http);
            }
            finally
            {
                Answered(logger, http.Request.Method, (http.Request.PathBase + http.Request.Path).ToString(),
                    WithoutKeys(http.Request.QueryString), http.Response.StatusCode,
                    Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1));
            }
        });
    }

    public static string WithoutKeys(QueryString query, bool leaveOut = false)
    {
        if (query.Value is not { Length: > 1 } text)
        {
            return "";
        }

        var parameters = text[1..].Split('&');
        if (!parameters.Any(IsKeyLike))
        {
            return text;
        }

        var kept = string.Join('&', parameters
            .Where(p => !leaveOut || !IsKeyLike(p))
            .Select(p => IsKeyLike(p) ? $"{p.Split('=')[0]}={Redacted}" : p));
        return kept.Length == 0 ? "" : "?" + kept;
    }

    /// <summary>"api_key", "X-Api-Key", "access_token", "apiKey", "password"...: named as a credential, in any spelling.</summary>
    private static bool IsKeyLike(string parameter)
    {
        var name = new string(Uri.UnescapeDataString(parameter.Split('=')[0]).Where(char.IsAsciiLetter).ToArray()).ToLowerInvariant();
        return KeyLikeWords.Any(word => name.Contains(word, StringComparison.Ordinal));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path}{Query} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    private static partial void Answered(ILogger logger, string method, string path, string query, int statusCode, double elapsedMilliseconds);
}
