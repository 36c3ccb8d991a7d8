using System.Diagnostics;

namespace ClaimsTracker.Infrastructure;

/// <summary>What every write carries besides its body: who, which retry key, and which conversation.</summary>
public sealed record WriteRequest(Actor Actor, string? IdempotencyKey, string CorrelationId, string CausationId, string Route)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const int MaxTokenLength = 200;
    public static string TokenRule => $"1 to {MaxTokenLength} visible ASCII characters";

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
                (raw.Count != 1 || !IsToken(raw[0])))
            {
                validation.Error(name, $"must be one value of {TokenRule}");
            }
        }

        return validation.Result();
    }

    public static bool IsToken(string? value) =>
        value is { Length: > 0 and <= MaxTokenLength } && !value.Any(c => c is < '!' or > '~');

    private static string? HeaderToken(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var value) && value.Count == 1 ? value[0] : null;
}
