using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Tests.Support;

/// <summary>An application's logging as the SDK sees it through DI: every line kept with its category and level.</summary>
internal sealed class CapturedLog : ILoggerFactory
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Lines => [.. _lines];

    public IReadOnlyList<string> Warnings => Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();

    public IReadOnlyList<string> Infos => Lines.Where(l => l.Level == LogLevel.Information).Select(l => l.Message).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log._lines.Enqueue((category, logLevel, formatter(state, exception)));
    }
}
