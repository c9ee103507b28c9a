using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Hosting;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Creates the loggers that hand <c>ILogger</c> lines to the Panopticon engine. Everything that can be decided
/// once (enabled, minimum level, excluded categories) is decided here or in <see cref="CreateLogger"/>, so a
/// disabled logger costs one comparison.
/// </summary>
/// <remarks>
/// Scopes are kept in the provider's own <see cref="LogScopes"/> (the provider does not implement
/// <c>ISupportExternalScope</c>, so the framework hands every scope to its loggers); the activity's tags and baggage
/// are copied when the application turned them on in <see cref="LoggerFactoryOptions.ActivityTrackingOptions"/>, as
/// the framework's scopes would carry them.
/// </remarks>
[ProviderAlias("Panopticon")]
internal sealed class PanopticonLoggerProvider : ILoggerProvider
{
    private readonly LogLevel _minimumLevel;

    public PanopticonLoggerProvider(IServiceProvider services)
        : this(services, ResolveClient(services))
    {
    }

    /// <summary>A provider for a client created without dependency injection (<c>logging.AddPanopticon(client)</c>).</summary>
    internal PanopticonLoggerProvider(IServiceProvider services, PanopticonClient? client)
    {
        Client = client;
        services.GetService<LogSources>()?.LoggerProviderConnected();
        Time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _minimumLevel = Client is { IsEnabled: true, Options.EnableLogTracking: true } ? Client.Options.MinimumLogLevel : LogLevel.None;
        var tracking = services.GetService<IOptions<LoggerFactoryOptions>>()?.Value.ActivityTrackingOptions ?? ActivityTrackingOptions.None;
        ActivityTags = (tracking & ActivityTrackingOptions.Tags) != 0;
        ActivityBaggage = (tracking & ActivityTrackingOptions.Baggage) != 0;
    }

    internal PanopticonClient? Client { get; }

    internal TimeProvider Time { get; }

    internal LogScopes Scopes { get; } = new();

    /// <summary>Copy the current activity's tags into each line (<see cref="ActivityTrackingOptions.Tags"/>).</summary>
    internal bool ActivityTags { get; }

    /// <summary>Copy the current activity's baggage into each line (<see cref="ActivityTrackingOptions.Baggage"/>).</summary>
    internal bool ActivityBaggage { get; }

    public ILogger CreateLogger(string categoryName)
    {
        // The SDK's own categories would feed themselves (a drop report about its own logs, and so on).
        var excluded = categoryName.StartsWith(DropReporter.Category, StringComparison.Ordinal);
        return new PanopticonLogger(categoryName, this, excluded ? LogLevel.None : _minimumLevel);
    }

    public void Dispose()
    {
        // The client belongs to the container, which flushes and disposes it.
    }

    internal const string NoClientMessage =
        "Panopticon's logger provider has no Panopticon client to send through. With dependency injection, also call "
        + "services.AddPanopticon(...) (or AddPanopticonMonitoring(...)); without it, create a client with "
        + "PanopticonClient.Create(...) and use logging.AddPanopticon(client) or client.CreateLoggerFactory().";

    private static PanopticonClient? ResolveClient(IServiceProvider services)
    {
        try
        {
            // Without the core this provider would compile, run and send nothing: say what to call instead.
            return services.GetService<PanopticonClient>() ?? throw new InvalidOperationException(NoClientMessage);
        }
        catch (OptionsValidationException)
        {
            // Invalid options fail the host at start (ValidateOnStart) with a clear message naming the option; the
            // logging infrastructure must neither throw it first nor report the user's mistake as an internal error.
            return null;
        }
    }
}
