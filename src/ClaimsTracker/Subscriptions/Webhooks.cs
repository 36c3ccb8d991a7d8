using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using ClaimsTracker.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace ClaimsTracker.Subscriptions;

/// <summary>An outside subscriber: every status change (of claims with the topic or party, when given) is POSTed to it.</summary>
public sealed class Webhook
{
    public Guid Id { get; set; }
    public string Url { get; set; } = "";
    public string? Topic { get; set; }
    public string? Party { get; set; }
    public string Secret { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    public bool Wants(string[] topics, string[] parties) =>
        (Topic is null || topics.Contains(Topic, StringComparer.OrdinalIgnoreCase)) &&
        (Party is null || parties.Contains(Party, StringComparer.OrdinalIgnoreCase));
}

public sealed record RegisterWebhook([Required] string? Url, string? Topic, string? Party);

public sealed record WebhookView(Guid Id, string Url, string? Topic, string? Party, string CreatedBy, DateTimeOffset CreatedAt, string? Secret)
{
    public static WebhookView Of(Webhook w, bool withSecret = false) =>
        new(w.Id, w.Url, w.Topic, w.Party, w.CreatedBy, w.CreatedAt, withSecret ? w.Secret : null);
}

public static class RegisterWebhookEndpoint
{
    public static ProblemDetails Validate(RegisterWebhook command, WebhookOptions options)
    {
        var validation = new Validation()
            .Url("url", command.Url, required: true)
            .Text("topic", command.Topic, 60, required: false)
            .Text("party", command.Party, 100, required: false);
        if (Uri.TryCreate(command.Url?.Trim(), UriKind.Absolute, out var url) && WebhookTargets.Refusal(url, options) is { } refusal)
        {
            validation.Error("url", refusal);
        }

        return validation.Result();
    }

    [WolverinePost("/api/admin/webhooks", OperationId = "RegisterWebhook")]
    [Tags("Admin")]
    [EndpointSummary("Register a URL that receives every status change as a signed JSON message (optionally for one topic or party)")]
    [Authorize(Policy = Policies.Administer)]
    [ProducesResponseType<WebhookView>(StatusCodes.Status201Created)]
    public static async Task<IResult> Register(
        RegisterWebhook command, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var webhook = new Webhook
        {
            Id = Guid.NewGuid(),
            Url = command.Url!.Trim(),
            Topic = string.IsNullOrWhiteSpace(command.Topic) ? null : command.Topic.Trim().ToLowerInvariant(),
            Party = string.IsNullOrWhiteSpace(command.Party) ? null : command.Party.Trim(),
            Secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            CreatedBy = Actor.From(http.User).Name,
            CreatedAt = clock.GetUtcNow(),
        };
        session.Store(webhook);
        await session.SaveChangesAsync(ct);
        return Results.Created($"/api/admin/webhooks/{webhook.Id}", WebhookView.Of(webhook, withSecret: true));
    }
}

public static class WebhookAdminEndpoints
{
    [WolverineGet("/api/admin/webhooks", OperationId = "ListWebhooks")]
    [Tags("Admin")]
    [EndpointSummary("The registered webhooks (without their secrets)")]
    [Authorize(Policy = Policies.Administer)]
    public static async Task<IReadOnlyList<WebhookView>> List(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Webhook>().OrderBy(w => w.CreatedAt).ToListAsync(ct)).Select(w => WebhookView.Of(w)).ToList();

    [WolverineDelete("/api/admin/webhooks/{id}", OperationId = "DeleteWebhook")]
    [Tags("Admin")]
    [EndpointSummary("Stop sending to a webhook; messages already queued for it are dropped")]
    [Authorize(Policy = Policies.Administer)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, CancellationToken ct)
    {
        if (await session.LoadAsync<Webhook>(id, ct) is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown webhook",
                detail: $"No webhook has the id {id}; GET /api/admin/webhooks lists them.");
        }

        session.Delete<Webhook>(id);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }
}
