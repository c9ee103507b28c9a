using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Diagnostics;

/// <summary>
/// The application's own log, as the SDK writes to it (category <see cref="ExportHealthReporter.Category"/>, which the
/// log provider never exports): the container's <see cref="ILoggerFactory"/>, asked for on first use (the logging
/// provider itself depends on the client), or stderr without one and once the application's logging is gone.
/// </summary>
internal sealed class AppLog(Func<ILoggerFactory?>? loggerFactory)
{
    private ILogger? _logger;

    public void Write(LogLevel level, string line, Exception? exception = null)
    {
        try
        {
            if (Logger() is { } logger)
            {
                logger.Log(level, 0, line, exception, static (message, _) => message);
                return;
            }
        }
        catch (ObjectDisposedException)
        {
            // The application's logging is already gone (late in shutdown): stderr below.
        }

        Console.Error.WriteLine($"{(level == LogLevel.Warning ? "warn" : "info")}: {ExportHealthReporter.Category}: {line}");
    }

    private ILogger? Logger()
    {
        if (_logger is null && loggerFactory?.Invoke() is { } factory)
        {
            _logger = factory.CreateLogger(ExportHealthReporter.Category);
        }

        return _logger;
    }
}
