using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ClaimsTracker.Infrastructure;

/// <summary>What is wrong with JSON that could not be read, as a predicate: of the JSON as a whole (<see cref="Field"/> null) or of one field.</summary>
public sealed record JsonFault(string? Field, string Message);

/// <summary>Reads each JSON body before its endpoint, so a malformed one is refused in the caller's words and logged as a refusal.</summary>
public static partial class JsonBodies
{
    public static IApplicationBuilder UseJsonBodies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("ClaimsTracker.Requests");
        return app.Use(async (http, next) =>
        {
            // Wolverine marks each endpoint that reads a JSON body so, for the OpenAPI document
            if (http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: { } type } accepts ||
                !accepts.ContentTypes.Contains("application/json") || !IsJson(http.Request.ContentType) ||
                (accepts.IsOptional && http.Request.ContentLength is null or 0))
            {
                await next(http);
                return;
            }

            var body = new MemoryStream();
            http.Response.RegisterForDispose(body);
            ProblemDetails? problem;
            try
            {
                await http.Request.Body.CopyToAsync(body, http.RequestAborted);
                problem = await Check(body, type, options);
            }
            catch (BadHttpRequestException unread)
            {
                problem = new ProblemDetails
                {
                    Status = unread.StatusCode,
                    Title = unread.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large" : "The request body could not be read",
                    Detail = unread.Message,
                };
            }

            if (problem is not null)
            {
                Refused(logger, http.Request.Method, http.Request.Path.ToString(), problem.Status ?? 400, problem.Title);
                await problem.ToResult().ExecuteAsync(http);
                return;
            }

            body.Position = 0;
            http.Request.Body = body;
            await next(http);
        });
    }

    public static JsonFault Describe(JsonException error, ReadOnlySpan<byte> json, Type? type, JsonSerializerOptions options) =>
        Malformed(json, options) ?? WrongType(error, type, options);

    public static JsonFault WrongType(JsonException error, Type? type, JsonSerializerOptions options)
    {
        var field = error.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : "body";
        return new JsonFault(field, type is null ? "has a value of the wrong kind" : Expected(TypeAt(type, field == "body" ? "" : field, options)));
    }

    private static async Task<ProblemDetails?> Check(MemoryStream body, Type type, JsonSerializerOptions options)
    {
        body.Position = 0;
        try
        {
            await JsonSerializer.DeserializeAsync(body, type, options);
            return null;
        }
        catch (JsonException error)
        {
            var fault = Describe(error, body.GetBuffer().AsSpan(0, (int)body.Length), type, options);
            return fault.Field is { } field
                ? Problems.Invalid(field, fault.Message)
                : new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request body cannot be read as JSON",
                    Detail = $"The JSON {fault.Message}. Nothing was recorded; fix the body and send the request again.",
                };
        }
    }

    /// <summary>Empty, cut off, not JSON, or nested too deep; null when the JSON itself reads.</summary>
    private static JsonFault? Malformed(ReadOnlySpan<byte> json, JsonSerializerOptions options)
    {
        json = json.StartsWith("\uFEFF"u8) ? json[3..] : json;
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new JsonFault(null, "is empty: send the request's fields as a JSON object");
        }

        var maxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            MaxDepth = maxDepth + 1, AllowTrailingCommas = options.AllowTrailingCommas, CommentHandling = options.ReadCommentHandling,
        });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                {
                    return new JsonFault(null, $"is nested deeper than {maxDepth} levels");
                }
            }

            return null;
        }
        catch (JsonException error)
        {
            return new JsonFault(null, $"ends too early or has a syntax error at byte {error.BytePositionInLine + 1}" +
                                       (error.LineNumber > 0 ? $" of line {error.LineNumber + 1}" : ""));
        }
    }

    private static JsonTypeInfo? TypeAt(Type root, string path, JsonSerializerOptions options)
    {
        JsonTypeInfo? info = options.GetTypeInfo(root);
        foreach (Match step in PathStep().Matches(path))
        {
            var next = step.Groups["index"].Success
                ? info?.ElementType
                : info?.Properties.FirstOrDefault(p => p.Name.Equals(step.Groups["name"].Value, StringComparison.OrdinalIgnoreCase))?.PropertyType;
            info = next is null ? null : options.GetTypeInfo(next);
        }

        return info;
    }

    private static string Expected(JsonTypeInfo? info)
    {
        var type = info is null ? null : Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return type switch
        {
            null => "has a value of the wrong kind",
            _ when type == typeof(string) => "must be a string",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "must be an ISO 8601 time such as 2024-02-20T09:00:00Z",
            _ when type == typeof(Guid) => "must be a UUID",
            _ when type == typeof(bool) => "must be true or false",
            _ when type == typeof(int) || type == typeof(long) => "must be a whole number",
            _ when type.IsPrimitive || type == typeof(decimal) => "must be a number",
            _ when info!.Kind == JsonTypeInfoKind.Enumerable => "must be an array",
            _ when info.Kind == JsonTypeInfoKind.Object =>
                $"must be a JSON object {{ {string.Join(", ", info.Properties.Select(p => p.Name))} }}",
            _ => "has a value of the wrong kind",
        };
    }

    /// <summary>Wolverine reads a body as JSON when it says so, or says nothing.</summary>
    private static bool IsJson(string? contentType) =>
        string.IsNullOrEmpty(contentType) || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
        contentType.StartsWith("text/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase) ||
        contentType.Contains("*/*", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path}: body refused with {StatusCode}, {Title}")]
    private static partial void Refused(ILogger logger, string method, string path, int statusCode, string? title);
}
