namespace Panopticon.Sdk.Hosting;

/// <summary>
/// Which log integrations are connected to this container's client: the <c>ILoggerProvider</c> (created by the
/// logging framework, or by Serilog's <c>writeToProviders</c>) and the Serilog sink. Read once after the host has
/// started, to warn when the application logs through Serilog but nothing hands its lines to Panopticon.
/// </summary>
internal sealed class LogSources
{
    private volatile bool _loggerProvider;
    private volatile bool _serilogSink;

    /// <summary>Whether any log integration has been connected.</summary>
    public bool AnyConnected => _loggerProvider || _serilogSink;

    public void LoggerProviderConnected() => _loggerProvider = true;

    public void SerilogSinkConnected() => _serilogSink = true;
}
