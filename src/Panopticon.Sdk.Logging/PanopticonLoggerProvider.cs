using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Creates the loggers that hand <c>ILogger</c> lines to the Panopticon engine. Everything that can be decided
/// once (enabled, minimum level, excluded categories) is decided here or in <see cref="CreateLogger"/>, so a
/// disabled logger costs one comparison.
/// </summary>
[ProviderAlias("Panopticon")]
internal sealed class PanopticonLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly LogLevel _minimumLevel;

    public PanopticonLoggerProvider(IServiceProvider services)
    {
        Client = ResolveClient(services);
        Time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _minimumLevel = Client is { IsEnabled: true, Options.EnableLogTracking: true } ? Client.Options.MinimumLogLevel : LogLevel.None;
    }

    internal PanopticonClient? Client { get; }

    internal TimeProvider Time { get; }

    internal IExternalScopeProvider? ScopeProvider { get; private set; }

    /// <summary>
    /// <see cref="IExternalScopeProvider.ForEachScope{TState}"/> bound to the scope provider once: called through the
    /// interface it is a generic virtual call, which the runtime resolves through a lookup on every log line.
    /// </summary>
    internal ScopeWalk? ForEachScope { get; private set; }

    public ILogger CreateLogger(string categoryName)
    {
        // The SDK's own categories would feed themselves (a drop report about its own logs, and so on).
        var excluded = categoryName.StartsWith(DropReporter.Category, StringComparison.Ordinal);
        return new PanopticonLogger(categoryName, this, excluded ? LogLevel.None : _minimumLevel);
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        ScopeProvider = scopeProvider;
        ForEachScope = scopeProvider.ForEachScope;
    }

    public void Dispose()
    {
        // The client belongs to the container, which flushes and disposes it.
    }

    private static PanopticonClient? ResolveClient(IServiceProvider services)
    {
        try
        {
            return services.GetService<PanopticonClient>();
        }
        catch (OptionsValidationException)
        {
            // Invalid options fail the host at start (ValidateOnStart) with a clear message; the logging
            // infrastructure must not be the one to throw it.
            PanopticonEventSource.Log.InternalError(nameof(PanopticonLoggerProvider), nameof(OptionsValidationException));
            return null;
        }
    }
}
