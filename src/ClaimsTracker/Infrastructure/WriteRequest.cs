using System.Diagnostics;

namespace ClaimsTracker.Infrastructure;

/// <summary>What every write carries besides its body: who, which retry key, and which conversation.</summary>
public sealed record WriteRequest(Actor Actor, string? IdempotencyKey, string CorrelationId, string CausationId, string Route)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string CorrelationHeader = "X-Correlation-Id";

    public static WriteRequest From(HttpContext http) => new(
        Actor.From(http.User),
        HeaderToken(http, IdempotencyHeader),
        HeaderToken(http, CorrelationHeader) ?? Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
        http.TraceIdentifier,
        $"{http.Request.Method} {http.Request.Path}");

    /// <summary>Header tokens are limited to 200 visible ASCII characters; anything else is refused before any work.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails CheckHeaders(HttpContext http)
    {
        var validation = new Validation();
        foreach (var name in new[] { IdempotencyHeader, CorrelationHeader })
        {
            if (http.Request.Headers.TryGetValue(name, out var raw) &&
                (raw.Count != 1 || raw[0] is not { Length: > 0 and <= 200 } value || value.Any(c => c is < '!' or > '~')))
            {
                validation.Error(name, "must be one value of 1 to 200 visible ASCII characters");
            }
        }

        return validation.Result();
    }

    private static string? HeaderToken(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var value) && value.Count == 1 ? value[0] : null;
}
