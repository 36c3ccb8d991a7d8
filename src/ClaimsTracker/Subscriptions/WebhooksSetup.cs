using Marten;
using Wolverine;
using Wolverine.Marten;

namespace ClaimsTracker.Subscriptions;

public static class WebhooksSetup
{
    public const string Queue = "webhooks";

    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookDeliveryHandler.Client, client => client.Timeout = TimeSpan.FromSeconds(10));
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
