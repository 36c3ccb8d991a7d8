using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaimsTracker.IntegrationTests;

public sealed record Reply(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string? ContentType, string Text)
{
    public JsonNode Json => Body ?? throw new InvalidOperationException($"No JSON body; got {(int)Status}: {Text}");

    public string? Field(string path)
    {
        JsonNode? node = Body;
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out var i) ? node?[i] : node?[part];
        }

        return node?.ToString();
    }
}

/// <summary>A client of the API as a user's program sees it: JSON in, status codes and JSON out.</summary>
public sealed class Api(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public Task<Reply> Get(string url, string? key = null) => Send(HttpMethod.Get, url, null, key);

    public Task<Reply> Post(string url, object? body, string? key = AppFixture.EditorKey, string? idempotencyKey = null) =>
        Send(HttpMethod.Post, url, body is string raw ? raw : JsonSerializer.Serialize(body), key, idempotencyKey);

    public async Task<Reply> Send(HttpMethod method, string url, string? json, string? key, string? idempotencyKey = null,
        IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var contentType = response.Content.Headers.ContentType?.MediaType;
        JsonNode? body = null;
        if (contentType is not null && contentType.Contains("json", StringComparison.Ordinal) && text.Length > 0)
        {
            body = JsonNode.Parse(text);
        }

        return new Reply(response.StatusCode, body, response.Headers, contentType, text);
    }
}
