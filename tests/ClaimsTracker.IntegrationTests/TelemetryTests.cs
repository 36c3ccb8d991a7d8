using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Trace;
using Wolverine;

namespace ClaimsTracker.IntegrationTests;

public sealed partial class TelemetryTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task metrics_are_served_to_an_admin_only_in_prometheus_text_with_the_products_meters_counting_what_was_written()
    {
        (await Api.Get("/metrics")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await Api.Get("/metrics", AppFixture.ReaderKey)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await Api.Get("/metrics", AppFixture.EditorKey)).Status.ShouldBe(HttpStatusCode.Forbidden);
        var before = await Scrape();

        var id = await Api.RegisteredClaim();
        await Api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await Api.StatementFrom(id, "KCNA", "North Korea", "denies");
        await Api.StatementFrom(id, "Reuters", null, "asserts");
        await Api.StatementFrom(id, "Reuters", null, "asserts");
        (await Api.Post($"/api/claims/{id}/statements", Scenarios.Statement("KCNA", "North Korea", "maybe", "2024-02-20T09:00:00Z")))
            .Status.ShouldBe(HttpStatusCode.BadRequest);
        var after = await Scrape();

        Delta(before, after, "claimstracker_statements_recorded_total", "stance=\"confirms\"").ShouldBe(1);
        Delta(before, after, "claimstracker_statements_recorded_total", "stance=\"denies\"").ShouldBe(1);
        Delta(before, after, "claimstracker_statements_recorded_total", "stance=\"asserts\"").ShouldBe(2);
        Delta(before, after, "claimstracker_claim_status_changes_total", "from=\"unconfirmed\"", "to=\"partially_confirmed\"").ShouldBe(1);
        Delta(before, after, "claimstracker_claim_status_changes_total", "from=\"partially_confirmed\"", "to=\"disputed\"").ShouldBe(1);
        Delta(before, after, "claimstracker_write_duration_seconds_count", "outcome=\"accepted\"").ShouldBe(5);
        // the invalid stance is refused before the write pipeline: no write was timed for it
        Delta(before, after, "claimstracker_write_duration_seconds_count", "outcome=\"refused\"").ShouldBe(0);

        // the libraries' own meters come through the same endpoint
        after.Text.ShouldContain("# TYPE db_client_operation_duration_seconds histogram");
        Delta(before, after, "marten_event_append_events_total", "event_type=\"statement_recorded\"").ShouldBe(4);

        // projection lag: read from the store every few seconds, one series per async projection
        var lag = after;
        for (var i = 0; i < 40 && !lag.Text.Contains("claimstracker_projection_lag_events{", StringComparison.Ordinal); i++)
        {
            await Task.Delay(250);
            lag = await Scrape();
        }

        foreach (var projection in new[] { "ClaimTimeline", "SourceProfile", "webhooks" })
        {
            Value(lag, "claimstracker_projection_lag_events", $"projection=\"{projection}\"").ShouldNotBeNull(lag.Text);
            Value(lag, "claimstracker_projection_lag_time_seconds", $"projection=\"{projection}\"").ShouldNotBeNull(lag.Text);
        }

        // the public log: its size under the latest checkpoint, and a delay for each batch the sequencer signed
        await Fixture.LogCaughtUp();
        var logged = await Scrape();
        Value(logged, "claimstracker_log_tree_size").ShouldBe(5, logged.Text);
        Delta(before, logged, "claimstracker_log_integration_delay_seconds_count").ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task one_trace_follows_a_statement_from_its_request_through_the_append_to_its_webhook_delivery()
    {
        var database = $"telemetry_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"create database {database}", admin).ExecuteNonQueryAsync();
        }

        await using var receiver = await Receiver.Start();
        var spans = new ExportedSpans();
        var connectionString = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Database = database }.ConnectionString;
        await using var host = await AlbaHost.For<Program>(builder =>
        {
            foreach (var (key, value) in AppFixture.Settings(connectionString))
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Webhooks:AllowPrivateTargets", "true");   // the receiver listens on loopback
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));
            });
        });
        var api = new Api(host.Server.CreateClient());
        (await api.Post("/api/admin/webhooks", new { url = receiver.Url.ToString() }, AppFixture.AdminKey)).Status.ShouldBe(HttpStatusCode.Created);
        var id = await api.RegisteredClaim();

        var statement = await api.StatementFrom(id, "Dmitry Peskov", "Russia", "confirms");
        await receiver.Until(1, TimeSpan.FromSeconds(30));
        (await api.Get($"/api/claims/{id}?api_key={AppFixture.AdminKey}")).Status.ShouldBe(HttpStatusCode.OK);

        statement.Field("status").ShouldBe("partially_confirmed");
        var history = await api.Get($"/api/claims/{id}/history");
        var traceId = history.Json["items"]!.AsArray().Single(i => (long)i!["version"]! == 2)!["correlationId"]!.ToString();
        traceId.ShouldMatch("^[0-9a-f]{32}$");
        receiver.TraceParents.Single().ShouldStartWith($"00-{traceId}-");
        var trace = await Spans(spans, traceId, s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http");
        var request = trace.Single(s => s.DisplayName == "POST /api/claims/{claimId}/statements");
        request.Kind.ShouldBe(ActivityKind.Server);
        request.ParentSpanId.ShouldBe(default);
        var byId = trace.ToDictionary(s => s.SpanId);
        bool Under(Activity span, Activity ancestor) =>
            span.ParentSpanId == ancestor.SpanId || (byId.TryGetValue(span.ParentSpanId, out var parent) && Under(parent, ancestor));

        // the append: the stream lock and the events' insert, in the request's trace
        trace.ShouldContain(s => s.Source.Name == "Npgsql" && s.DisplayName == "postgresql" &&
                                 s.GetTagItem("db.query.text")!.ToString()!.Contains("mt_quick_append_events", StringComparison.Ordinal));
        // the async daemon's relay picks the status change up from the event and continues the write's trace
        var relay = trace.Single(s => s.DisplayName == "webhook relay");
        relay.ParentSpanId.ShouldBe(request.SpanId);
        relay.GetTagItem("to").ShouldBe("partially_confirmed");
        var handler = trace.Single(s => s.Source.Name == "Wolverine" && s.DisplayName.EndsWith("WebhookDelivery", StringComparison.Ordinal));
        Under(handler, relay).ShouldBeTrue();
        trace.Where(s => s.Source.Name == "Marten").Any(s => Under(s, handler)).ShouldBeTrue();
        var delivery = trace.Single(s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http");
        delivery.GetTagItem("url.full")!.ToString().ShouldBe(receiver.Url.ToString());
        delivery.GetTagItem("http.response.status_code").ShouldBe(200);
        Under(delivery, handler).ShouldBeTrue();

        // no key reaches a span: a key sent in the query string is recorded redacted
        var tags = spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? "").ToList();
        tags.ShouldNotContain(t => t.Contains(AppFixture.AdminKey, StringComparison.Ordinal) || t.Contains(AppFixture.EditorKey, StringComparison.Ordinal));
    }

    /// <summary>Waits (bounded) until the trace's last span has ended and been exported.</summary>
    private static async Task<List<Activity>> Spans(ExportedSpans spans, string traceId, Func<Activity, bool> last)
    {
        for (var i = 0; i < 100; i++)
        {
            var trace = spans.Where(s => s.TraceId.ToHexString() == traceId).ToList();
            if (trace.Any(last))
            {
                return trace;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the trace {traceId} has no span that ends it; spans: " +
                                   string.Join(", ", spans.Where(s => s.TraceId.ToHexString() == traceId).Select(s => $"{s.Source.Name}:{s.DisplayName}")));
    }

    private async Task<Reply> Scrape()
    {
        var reply = await Api.Get("/metrics", AppFixture.AdminKey);
        reply.Status.ShouldBe(HttpStatusCode.OK, reply.Text);
        reply.ContentType.ShouldBe("text/plain");
        return reply;
    }

    private static double Delta(Reply before, Reply after, string metric, params string[] labels) =>
        (Value(after, metric, labels) ?? 0) - (Value(before, metric, labels) ?? 0);

    /// <summary>The sum of a metric's samples whose labels include all of <paramref name="labels"/>; null when it has none.</summary>
    private static double? Value(Reply scrape, string metric, params string[] labels)
    {
        var samples = Sample().Matches(scrape.Text)
            .Where(m => m.Groups["name"].Value == metric && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .Select(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            .ToList();
        return samples.Count == 0 ? null : samples.Sum();
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    /// <summary>What the in-memory exporter adds as spans end, on the threads that end them, while the test reads.</summary>
    private sealed class ExportedSpans : ICollection<Activity>
    {
        private readonly List<Activity> _spans = [];

        public int Count { get { lock (_spans) { return _spans.Count; } } }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (_spans)
            {
                _spans.Add(item);
            }
        }

        public void Clear()
        {
            lock (_spans)
            {
                _spans.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_spans)
            {
                return _spans.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private List<Activity> Snapshot()
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>A webhook subscriber on loopback that keeps the trace context each delivery carried.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        public ConcurrentQueue<string> TraceParents { get; } = new();

        public Uri Url { get; private set; } = null!;

        private Receiver()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapPost("/hook", (HttpContext http) =>
            {
                TraceParents.Enqueue(http.Request.Headers["traceparent"].ToString());
                return Results.Ok();
            });
        }

        public static async Task<Receiver> Start()
        {
            var receiver = new Receiver();
            await receiver._app.StartAsync();
            var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            receiver.Url = new Uri(new Uri(address), "/hook");
            return receiver;
        }

        public async Task Until(int deliveries, TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            while (TraceParents.Count < deliveries)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the receiver got {TraceParents.Count} deliveries in {within}");
                }

                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
