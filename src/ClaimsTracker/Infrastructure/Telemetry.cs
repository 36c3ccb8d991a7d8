using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using JasperFx.OpenTelemetry;
using Marten;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Wolverine;

namespace ClaimsTracker.Infrastructure;

/// <summary>OpenTelemetry, wired once; <c>Telemetry:Enabled=false</c> turns all of it off.</summary>
public static class Telemetry
{
    public const string Name = "ClaimsTracker";
    public const string ServiceName = "claimstracker";
    public const string MetricsPath = "/metrics";

    /// <summary>The W3C trace context of the write that appended an event, kept in the event's headers.</summary>
    public const string TraceParentHeader = "traceparent";

    public static string Version { get; } =
        typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    // no version: every series would start anew each release; docs/telemetry.md lists the instruments
    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name, Version);

    public static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        // only read when Logging:Console:FormatterName=json: each line then carries its trace id in its scopes
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        if (!Enabled(builder.Configuration))
        {
            return builder;
        }

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(ServiceName, serviceVersion: Version, autoGenerateServiceInstanceId: false)
                .AddDetector(services => new NodeResource(services)))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Name, "Marten*", "Wolverine*")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddRuntimeInstrumentation()
                    // counted on every buffer a socket reads or writes, several times a write, for what the host's network figures already show
                    .AddView("db.client.operation.npgsql.bytes_*", MetricStreamConfiguration.Drop)
                    .AddView("aspnetcore.memory_pool.*", MetricStreamConfiguration.Drop)
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // spans are made only when something exports them: OTLP here, an in-memory exporter in tests
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .SetSampler(new ParentBasedSampler(new RequestsAndMessages(SampleRatio(builder.Configuration))))
            .AddSource(Name, "Marten*", "Wolverine*")
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsMonitoring(http.Request.Path))
            .AddHttpClientInstrumentation()
            .AddNpgsql());
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter());
        }

        builder.Services.ConfigureMarten(opts =>
        {
            opts.OpenTelemetry.TrackConnections = TrackLevel.Normal;
            opts.OpenTelemetry.TrackEventCounters();
        });
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        if (Enabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Policies.Administer);
        }

        return app;
    }

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue("Telemetry:Enabled", true);

    public static bool IsMonitoring(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");

    public static string? CurrentTraceParent() => Activity.Current is { Recorded: true } current ? current.Id : null;

    /// <summary>A span continuing the trace of the write an event came from, or nothing when that write was not traced.</summary>
    public static Activity? ContinueTrace(string name, string? traceParent) =>
        traceParent is not null && Source.HasListeners() && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : null;

    /// <summary>The standard <c>OTEL_TRACES_SAMPLER_ARG</c> when <c>OTEL_TRACES_SAMPLER</c> asks for a ratio, else all.</summary>
    public static double SampleRatio(IConfiguration configuration) =>
        configuration["OTEL_TRACES_SAMPLER"] is "traceidratio" or "parentbased_traceidratio"
        && double.TryParse(configuration["OTEL_TRACES_SAMPLER_ARG"], System.Globalization.CultureInfo.InvariantCulture, out var ratio)
            ? Math.Clamp(ratio, 0, 1)
            : 1;

    // traces begin at requests and messages only: background polling would start several a second on an idle node
    private sealed class RequestsAndMessages(double ratio) : Sampler
    {
        private readonly TraceIdRatioBasedSampler _share = new(ratio);

        public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
            parameters.Kind is ActivityKind.Server or ActivityKind.Consumer or ActivityKind.Producer
                ? _share.ShouldSample(parameters)
                : new SamplingResult(SamplingDecision.Drop);
    }

    private sealed class NodeResource(IServiceProvider services) : IResourceDetector
    {
        public Resource Detect() => new(new Dictionary<string, object>
        {
            ["service.instance.id"] = services.GetRequiredService<WolverineOptions>().UniqueNodeId.ToString(),
            ["host.name"] = Environment.MachineName,
        });
    }
}
