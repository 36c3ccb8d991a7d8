using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ClaimsTracker.Infrastructure;

public sealed record WriteRequest(
    Actor Actor, string? IdempotencyKey, string CorrelationId, string CausationId, string Route, string? TraceParent = null)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string CorrelationHeader = "X-Correlation-Id";
    public const int MaxTokenLength = 200;
    public static string TokenRule => $"1 to {MaxTokenLength} visible ASCII characters";

    /// <summary>The correlation id is the trace id unless the client sent its own, which the trace then records.</summary>
    public static WriteRequest From(HttpContext http)
    {
        var correlationId = HeaderToken(http, CorrelationHeader);
        if (correlationId is not null && Activity.Current is { IsAllDataRequested: true } current)
        {
            current.SetTag("claimstracker.correlation_id", correlationId);
        }

        return new(
            Actor.From(http.User),
            HeaderToken(http, IdempotencyHeader),
            correlationId ?? Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
            http.TraceIdentifier,
            // only a retry key needs the route: a write without one skips building it
            HeaderToken(http, IdempotencyHeader) is null ? "" : $"{http.Request.Method.ToUpperInvariant()} {RouteIdentity(http)}",
            Telemetry.CurrentTraceParent());
    }

    /// <summary>The headers every event of this write carries; the daemon's subscribers (webhooks) continue its trace from the last.</summary>
    public IEnumerable<(string Name, string Value)> EventHeaders()
    {
        yield return ("actorRole", Actor.Role);
        if (IdempotencyKey is not null)
        {
            yield return ("idempotencyKey", IdempotencyKey);
        }

        if (TraceParent is not null)
        {
            yield return (Telemetry.TraceParentHeader, TraceParent);
        }
    }

    /// <summary>The route pattern with canonical values, so a retry is the same write however the URL spells it.</summary>
    public static string RouteIdentity(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint { RoutePattern: var pattern })
        {
            return http.Request.Path.Value ?? "/";
        }

        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => Canonical(http.Request.RouteValues.GetValueOrDefault(parameter.Name)),
                    _ => "",
                });
            }
        }

        return path.Length == 0 ? "/" : path.ToString();
    }

    public string? RecordId => IdempotencyKey is { } key ? Hash($"{Actor.Name}\n{Route}\n{key}") : null;

    public static string Fingerprint(object command) => Hash(JsonSerializer.Serialize(command, command.GetType(), Json.Options));

    private static string Hash(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Canonical(object? value) =>
        value?.ToString() is not { } text ? "" : Guid.TryParse(text, out var id) ? id.ToString("D") : text;

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
