using Panopticon.Sdk;

namespace Microsoft.Extensions.Logging;

/// <summary>Loggers for apps without dependency injection: they send through a client from <c>PanopticonClient.Create(...)</c>.</summary>
public static class PanopticonClientLoggingExtensions
{
    /// <summary>
    /// A logger factory whose loggers send through <paramref name="client"/> at or above <c>MinimumLogLevel</c>, with
    /// the trace and span ids of <c>Activity.Current</c> (a span from <c>PanopticonTrace.StartSpan</c>). To log to the
    /// console as well, build your own: <c>LoggerFactory.Create(b => b.AddConsole().AddPanopticon(client))</c>.
    /// </summary>
    public static ILoggerFactory CreateLoggerFactory(this PanopticonClient client)
    {
        ArgumentNullException.ThrowIfNull(client);

        // The factory's own filter lets every level through: the client's MinimumLogLevel decides.
        return LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddPanopticon(client));
    }

    /// <summary>A logger for <paramref name="categoryName"/> that sends through <paramref name="client"/>; see <see cref="CreateLoggerFactory"/>.</summary>
    public static ILogger CreateLogger(this PanopticonClient client, string categoryName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(categoryName);
        return client.CreateLoggerFactory().CreateLogger(categoryName);
    }
}
