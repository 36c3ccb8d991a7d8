using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace ClaimsTracker.Dashboard;

/// <summary>A component rendered to HTML apart from any page, for markup that is kept and written many times.</summary>
public static class ComponentHtml
{
    public static async Task<MarkupString> Render<TComponent>(IServiceProvider services, IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return new MarkupString(await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString()));
    }
}
