using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ClaimsTracker.Claims;

/// <summary>A world time is text on the wire (its converter keeps it so), not the object its record would describe.</summary>
public sealed class WorldTimeSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(TimeInput))
        {
            schema.Type = JsonSchemaType.String;
            schema.Properties?.Clear();
            schema.Required?.Clear();
            schema.Description = "An ISO 8601 instant (2024-02-20T09:00:00Z), or a UTC day, month or year as precise as the source: 2024-02-20, 2024-02, 2024";
        }

        return Task.CompletedTask;
    }
}
