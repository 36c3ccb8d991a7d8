using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ClaimsTracker.Audit.PublicLog;

/// <summary>The sequencer as this node knows it, from memory: a health check never waits on the database.</summary>
public sealed class LogHealthCheck(LogStatus status, IOptions<LogOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!status.IsLeader)
        {
            return Task.FromResult(HealthCheckResult.Healthy("another node integrates the public log, or this one is taking over"));
        }

        var since = DateTimeOffset.UtcNow - (status.SignedAt ?? DateTimeOffset.MinValue);
        var description = $"this node integrates the public log: {status.Size} leaves, checkpoint signed {since.TotalSeconds:0.0} s ago";
        return Task.FromResult(status.Waiting is { } waiting && waiting > options.Value.MaxIntegrationDelay * 10
            ? HealthCheckResult.Degraded($"{description}; an event has waited {waiting.TotalSeconds:0} s for a transaction that may precede it")
            : HealthCheckResult.Healthy(description));
    }
}
