using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ClaimsTracker.Infrastructure;

/// <summary>Makes the OpenAPI document say what the pipeline does, from each endpoint's metadata rather than per-endpoint attributes.</summary>
public sealed class OpenApiContract(IOptions<AuthOptions> auth) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer, IOpenApiSchemaTransformer
{
    private const string Scheme = "apiKey";
    private const string Problem = "ProblemDetails";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Claims"] = "Claims, their statements, evidence, verdicts and corrections, and their status over time",
        ["Sources"] = "The people and outlets that speak, with their statements and track record",
        ["Parties"] = "The actors claims are about, with their aliases",
        ["Audit"] = "Every event as recorded, for replay and export",
        ["Public log"] = "The append-only Merkle log of every event, checkable with the public key alone",
        ["Admin"] = "Operations that need an admin's key",
        ["Dashboard"] = "The dashboard's live feed",
    };

    public static void AddTo(OpenApiOptions options)
    {
        options.AddDocumentTransformer<OpenApiContract>();
        options.AddOperationTransformer<OpenApiContract>();
        options.AddSchemaTransformer<OpenApiContract>();
    }

    /// <summary>A number is a number: the service writes it so, and reading "3" as 3 is the web defaults' leniency, not contract.</summary>
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (context.ParameterDescription?.Source == BindingSource.Body)
        {
            DescribeRequestBody(schema, context);
        }

        return Task.CompletedTask;
    }

    /// <summary>A request's fields are all nullable so its validation names each one missing; [Required] marks the ones it refuses missing (or null).</summary>
    private static void DescribeRequestBody(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            schema.Required = context.JsonTypeInfo.Properties.Where(IsRequired).Select(p => p.Name).ToHashSet();
            // a computed property (a correction's CorrectsStatement) is read from the request's fields, never sent
            foreach (var computed in context.JsonTypeInfo.Properties.Where(p => p.Set is null && p.AssociatedParameter is null))
            {
                schema.Properties.Remove(computed.Name);
            }
        }

        if (context.JsonPropertyInfo is not { } property)
        {
            return;
        }

        if (IsRequired(property))
        {
            schema.Type &= ~JsonSchemaType.Null;
            schema.Metadata?.Remove("x-is-nullable-property");   // the framework's mark that makes a referenced schema oneOf null
        }

        // a word from a vocabulary (a stance, a verdict) is listed, so a generated client offers the words, not any string
        if (Attribute<AllowedValuesAttribute>(property) is { } allowed)
        {
            schema.Enum = allowed.Values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v?.ToString())!).ToList();
        }
    }

    private static bool IsRequired(JsonPropertyInfo property) => Attribute<RequiredAttribute>(property) is not null;

    private static T? Attribute<T>(JsonPropertyInfo property) where T : Attribute =>
        (property.AttributeProvider?.GetCustomAttributes(typeof(T), inherit: true) is [T onProperty, ..] ? onProperty : null) ??
        (property.AssociatedParameter?.AttributeProvider?.GetCustomAttributes(typeof(T), inherit: true) is [T onParameter, ..] ? onParameter : null);

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: editor for writes, admin for admin operations. Reads are open unless Auth:RequireReaderKey is set.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(Problem))
        {
            document.Components.Schemas[Problem] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= tag.Name is { } name ? TagDescriptions.GetValueOrDefault(name) : null;
        }

        await RemoveUnusedSchemas(document, cancellationToken);
    }

    private static async Task RemoveUnusedSchemas(OpenApiDocument document, CancellationToken cancellationToken)
    {
        var schemas = document.Components!.Schemas!;
        while (true)
        {
            var text = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken);
            var unused = schemas.Keys.Where(id => !text.Contains($"\"#/components/schemas/{id}\"", StringComparison.Ordinal)).ToList();
            if (unused.Count == 0)
            {
                return;
            }

            unused.ForEach(id => schemas.Remove(id));
        }
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var policy = metadata.OfType<IAllowAnonymous>().Any() ? null : metadata.OfType<IAuthorizeData>().LastOrDefault()?.Policy;
        var write = !HttpMethods.IsGet(description.HttpMethod ?? "GET");
        var identified = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);
        var keyed = policy is Policies.Write or Policies.Administer || (policy == Policies.Read && auth.Value.RequireReaderKey);

        operation.Security = keyed ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }] : [];
        operation.Responses ??= new OpenApiResponses();
        var responses = operation.Responses;
        foreach (var answer in responses.Values.OfType<OpenApiResponse>())
        {
            // an endpoint that returns IResult has no body type to describe, not the interface's members
            answer.Content?.Where(c => c.Value.Schema is OpenApiSchemaReference { Reference.Id: nameof(IResult) }).ToList()
                .ForEach(c => answer.Content.Remove(c.Key));
        }

        if (responses.Keys.Any(s => s is "201" or "202" or "204"))
        {
            responses.Remove("200");   // Wolverine adds 200 for the return type even where the endpoint answers another success
        }

        if (!identified)
        {
            responses.Remove("404");   // Wolverine's default: only a route naming something can miss it
        }

        var document = context.Document!;
        if (HttpMethods.IsPost(description.HttpMethod ?? "") || description.ParameterDescriptions.Any(p => p.Source is { } s && s == BindingSource.Query) ||
            responses.ContainsKey("400"))
        {
            Refusal(responses, document, 400, RequestLimits.TooLargeIsInvalid($"/{description.RelativePath}")
                ? "The request is invalid, a body over the limit included: the problem lists what is wrong, item by item and field by field"
                : "The request is invalid: the problem lists what is wrong, field by field");
        }

        if (policy is not null)
        {
            Refusal(responses, document, 401, "The API key is missing, unknown or revoked (a key that is sent must be valid, even for an open read)");
        }

        if (policy is Policies.Write or Policies.Administer)
        {
            Refusal(responses, document, 403, policy == Policies.Write ? "The key's role may not write: writes need an editor's key" : "Admin operations need an admin's key");
        }

        if (identified)
        {
            Refusal(responses, document, 404, "Nothing has that id");
        }

        if (HttpMethods.IsPost(description.HttpMethod ?? "") && (identified || BodyHas(description, "expectedVersion")))
        {
            Refusal(responses, document, 409, "A stale expectedVersion, or a clash with the current state: read again and resend");
        }

        if (write && !RequestLimits.TooLargeIsInvalid($"/{description.RelativePath}"))
        {
            Refusal(responses, document, 413, "The request body is larger than the limit");
        }

        if (policy == Policies.Write && write)
        {
            Refusal(responses, document, 422, "This Idempotency-Key was first used with a different body");
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = WriteRequest.IdempotencyHeader,
                In = ParameterLocation.Header,
                Description = $"A retry key ({WriteRequest.TokenRule}): the same key again returns the first answer and adds nothing.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = WriteRequest.MaxTokenLength },
            });
        }

        if (write || metadata.OfType<ClaimSizedReadAttribute>().Any())
        {
            Refusal(responses, document, 429, "Too many requests: wait for Retry-After and send again");
        }

        Refusal(responses, document, 503, "The database is unavailable: nothing was recorded; send again after Retry-After");
        foreach (var declared in responses.Keys.Where(s => s[0] is '4' or '5').ToList())
        {
            var status = int.Parse(declared, System.Globalization.CultureInfo.InvariantCulture);
            Refusal(responses, document, status, $"{ReasonPhrase(status)}: the problem says why");
        }

        return Task.CompletedTask;
    }

    private static bool BodyHas(ApiDescription description, string property) =>
        description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type?.GetProperties()
            .Any(p => p.Name.Equals(property, StringComparison.OrdinalIgnoreCase)) == true;

    private static void Refusal(OpenApiResponses responses, OpenApiDocument document, int status, string why)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = responses.TryGetValue(key, out var declared) && declared is OpenApiResponse own ? own : new OpenApiResponse();
        response.Description = string.IsNullOrEmpty(response.Description) || response.Description == ReasonPhrase(status) ? why : response.Description;
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content.Remove("application/json");
        response.Content["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(Problem, document) };
        responses[key] = response;
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
