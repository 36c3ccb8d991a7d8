using System.Reflection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.IO;
using Wolverine.Http;

namespace ClaimsTracker.Infrastructure;

/// <summary>Marks a GET endpoint that streams or runs long (the live feed, exports, verify): no read deadline.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NoReadDeadlineAttribute : Attribute;

public sealed class ReadDeadlineMetadata
{
    public static readonly ReadDeadlineMetadata Instance = new();
}

/// <summary>A read caught by an outage is answered 503 at the deadline: the endpoint writes into its own response, copied out only if it finishes in time.</summary>
public static class ReadDeadline
{
    public static void Apply(HttpChain chain)
    {
        if (chain.HttpMethods.Contains("GET") && chain.Method.Method.GetCustomAttribute<NoReadDeadlineAttribute>() is null)
        {
            chain.Metadata.WithMetadata(ReadDeadlineMetadata.Instance);
        }
    }

    public static IApplicationBuilder UseReadDeadline(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<ReadDeadlineMetadata>() is null)
        {
            await next(http);
            return;
        }

        var deadline = http.RequestServices.GetRequiredService<LimitOptions>().DatabaseDeadline;
        var monitor = http.RequestServices.GetRequiredService<DatabaseMonitor>();
        var response = http.Features.GetRequiredFeature<IHttpResponseFeature>();
        var body = http.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var aborted = http.RequestAborted;
        await using var detached = new DetachedResponse(response);
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        http.Features.Set<IHttpResponseFeature>(detached);
        http.Features.Set<IHttpResponseBodyFeature>(detached);
        http.RequestAborted = abandon.Token;   // cancelled only once the read is given up

        var work = next(http);
        if (await monitor.WaitWhileAnswering(work, deadline, aborted))
        {
            Restore(http, response, body, aborted);
            await work;   // an exception goes to the exception handler, on the real response
            await detached.CopyTo(response, body, aborted);
            return;
        }

        await TimedOut(response, body, deadline);
        await abandon.CancelAsync();   // it stops early wherever its calls honour cancellation
        try
        {
            await work;
        }
        catch (Exception)
        {
            // the client has its answer; what the abandoned read met was the outage it was told about
        }
        finally
        {
            Restore(http, response, body, aborted);
        }
    });

    private static void Restore(HttpContext http, IHttpResponseFeature response, IHttpResponseBodyFeature body, CancellationToken aborted)
    {
        http.Features.Set(response);
        http.Features.Set(body);
        http.RequestAborted = aborted;
    }

    private static async Task TimedOut(IHttpResponseFeature response, IHttpResponseBodyFeature body, TimeSpan deadline)
    {
        var problem = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            title = "The database did not answer in time",
            status = StatusCodes.Status503ServiceUnavailable,
            detail = $"No answer within {deadline.TotalSeconds:F0} seconds; send the request again after " +
                     $"{Health.RetryAfterSeconds} seconds (Retry-After).",
        });
        RequestLimits.AnsweredDatabaseUnavailable("deadline");
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.ContentType = "application/problem+json";
        response.Headers.ContentLength = problem.Length;
        response.Headers.RetryAfter = Health.RetryAfterSeconds;
        response.Headers.CacheControl = "no-store";
        await body.StartAsync();
        await body.Stream.WriteAsync(problem);
        await body.CompleteAsync();
    }

    // reused 16 KiB buffers: a plain MemoryStream's growth was a measured share of the board's CPU (docs/costs.md)
    private static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 16 * 1024,
        MaximumSmallPoolFreeBytes = 8 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 8 * 1024 * 1024,
    });

    private sealed class DetachedResponse(IHttpResponseFeature real) : IHttpResponseFeature, IHttpResponseBodyFeature, IAsyncDisposable
    {
        private readonly RecyclableMemoryStream _buffer = Buffers.GetStream("read");
        private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
        private System.IO.Pipelines.PipeWriter? _writer;

        public int StatusCode { get; set; } = StatusCodes.Status200OK;
        public string? ReasonPhrase { get; set; }
        public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();
        public Stream Body { get => _buffer; set => throw new NotSupportedException("the body is held for the deadline"); }
        public bool HasStarted { get; private set; }
        public Stream Stream => _buffer;
        public System.IO.Pipelines.PipeWriter Writer =>
            _writer ??= System.IO.Pipelines.PipeWriter.Create(_buffer, new System.IO.Pipelines.StreamPipeWriterOptions(leaveOpen: true));

        public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));
        public void OnCompleted(Func<object, Task> callback, object state) => real.OnCompleted(callback, state);
        public void DisableBuffering() { }

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            HasStarted = true;
            return Task.CompletedTask;
        }

        public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            await SendFileFallback.SendFileAsync(_buffer, path, offset, count, cancellationToken);

        public async Task CompleteAsync()
        {
            if (_writer is not null)
            {
                await _writer.FlushAsync();
            }
        }

        public async Task CopyTo(IHttpResponseFeature response, IHttpResponseBodyFeature body, CancellationToken token)
        {
            await CompleteAsync();
            for (var i = _onStarting.Count - 1; i >= 0; i--)
            {
                await _onStarting[i].Callback(_onStarting[i].State);
            }

            response.StatusCode = StatusCode;
            response.ReasonPhrase = ReasonPhrase;
            foreach (var (name, value) in Headers)
            {
                response.Headers[name] = value;
            }

            if (_buffer.Length == 0 && !HasStarted)
            {
                return;   // left unstarted: an empty error status still gets its problem details from the status code pages
            }

            response.Headers.ContentLength = _buffer.Length;
            await body.StartAsync(token);
            foreach (var block in _buffer.GetReadOnlySequence())
            {
                await body.Stream.WriteAsync(block, token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_writer is not null)
            {
                await _writer.CompleteAsync();
            }

            await _buffer.DisposeAsync();
        }
    }
}
