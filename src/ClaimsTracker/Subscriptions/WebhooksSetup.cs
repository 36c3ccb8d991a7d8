using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;

namespace ClaimsTracker.Subscriptions;

public static class WebhooksSetup
{
    public const string Queue = "webhooks";

    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks");
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value);
        services.AddHttpClient(WebhookDeliveryHandler.Client, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<WebhookOptions>();
                // no redirects: a subscriber answers for its own URL, and a redirect must not lead somewhere else
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    ConnectCallback = (context, ct) => WebhookTargets.Connect(context.DnsEndPoint, options, ct),
                };
            });
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<Webhook>();
            opts.Schema.For<ClaimWatch>();
        });
        services.SubscribeToEvents(new StatusChangeRelay());
        // durable: a delivery waiting for its next try is a row in PostgreSQL, so a restart resumes it
        services.ConfigureWolverine(opts =>
        {
            opts.LocalQueue(Queue).UseDurableInbox();
            opts.PublishMessage<WebhookDelivery>().ToLocalQueue(Queue);
        });
        return services;
    }
}
