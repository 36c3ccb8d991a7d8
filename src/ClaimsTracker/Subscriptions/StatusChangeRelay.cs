using ClaimsTracker.Claims;
using ClaimsTracker.Infrastructure;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace ClaimsTracker.Subscriptions;

/// <summary>The relay's own memory of a claim: what its status was after the last event it saw.</summary>
public sealed class ClaimWatch
{
    public Guid Id { get; set; }
    public string Statement { get; set; } = "";
    public string[] Parties { get; set; } = [];
    public string[] Topics { get; set; } = [];
    public Claim? State { get; set; }
    /// <summary>Only in watches stored before <see cref="State"/> was kept; never written.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ClaimFacts? Facts { get; set; }
    public ClaimStatus Status { get; set; }
}

/// <summary>Turns each status change into deliveries in the outbox, in the transaction that records the relay's progress: none lost or sent twice.</summary>
public sealed class StatusChangeRelay : BatchSubscription
{
    public const string Name = "webhooks";

    public StatusChangeRelay() : base(Name)
    {
        IncludeType<ClaimRegistered>();
        IncludeType<StatementRecorded>();
        IncludeType<VerdictGiven>();
        IncludeType<ClaimCorrected>();
        IncludeType<ClaimRetracted>();
        IncludeType<VerdictWithdrawn>();
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        var webhooks = await operations.Query<Webhook>().ToListAsync(cancellationToken);
        var ids = page.Events.Select(e => e.StreamId).Distinct().ToArray();
        var watches = (await operations.LoadManyAsync<ClaimWatch>(cancellationToken, ids)).ToDictionary(w => w.Id);
        foreach (var e in page.Events)
        {
            var watch = watches.GetValueOrDefault(e.StreamId);
            if (e.Data is ClaimRegistered registered)
            {
                watch = new ClaimWatch
                {
                    Id = registered.ClaimId, Statement = registered.Statement, Parties = registered.Parties, Topics = registered.Topics,
                    State = Claim.Create(registered),
                };
                watches[watch.Id] = watch;
                continue;
            }

            if (watch is null)
            {
                continue;
            }

            watch.Statement = (e.Data as ClaimCorrected)?.Statement ?? watch.Statement;
            var before = watch.State ?? Claim.From(watch.Id, e.Version - 1, watch.Facts ?? ClaimFacts.Start(watch.Parties, default));
            (watch.State, watch.Facts) = (before.Then(e.Version, e.Data), null);
            watch.Parties = watch.State.Parties;
            var status = watch.State.Status;
            if (status == watch.Status)
            {
                continue;
            }

            var change = new StatusChanged(e.Id, watch.Id, watch.Statement, Words.Of(watch.Status), Words.Of(status), e.Version,
                e.EventTypeName, e.Timestamp, watch.Topics, watch.Parties);
            watch.Status = status;
            var interested = webhooks.Where(w => w.Wants(watch.Topics, watch.Parties)).ToList();
            if (interested.Count == 0)
            {
                continue;
            }

            // the deliveries join the trace of the write that changed the status
            using var relayed = Telemetry.ContinueTrace("webhook relay", TraceParent(e));
            relayed?.SetTag("claimstracker.claim.id", watch.Id).SetTag("claimstracker.claim.version", e.Version)
                .SetTag("from", change.From).SetTag("to", change.To);
            foreach (var webhook in interested)
            {
                await bus.PublishAsync(new WebhookDelivery(webhook.Id, change));
            }
        }

        operations.Store(watches.Values.ToArray());
    }

    private static string? TraceParent(IEvent e) =>
        e.Headers?.TryGetValue(Telemetry.TraceParentHeader, out var value) == true ? value?.ToString() : null;
}
