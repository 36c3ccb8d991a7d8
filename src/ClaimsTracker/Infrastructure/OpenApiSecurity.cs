using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ClaimsTracker.Infrastructure;

/// <summary>Tells OpenAPI readers (and the docs UI) that writes take an API key as a bearer token.</summary>
public sealed class BearerKeyTransformer : IOpenApiDocumentTransformer
{
    private const string Scheme = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: editor for writes, admin for admin operations. Reads are open unless configured otherwise.",
        };

        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations ?? []).Where(o => o.Key == HttpMethod.Post))
        {
            operation.Value.Security ??= [];
            operation.Value.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] });
        }

        return Task.CompletedTask;
    }
}
