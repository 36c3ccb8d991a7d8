using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ClaimsTracker.IntegrationTests;

public sealed record CapturedLog(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>Every line the test host logs, so a test can say what an operator would have read.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _lines = new();

    public IReadOnlyList<CapturedLog> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(new CapturedLog(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
