using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Hosting;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Warns once, when the host has started, if the application's logger factory is Serilog's and no Panopticon log
/// integration is connected: <c>UseSerilog()</c> without <c>writeToProviders</c> bypasses every <c>ILoggerProvider</c>,
/// ours included, so without the Serilog sink not one line would reach Panopticon, and nothing would say so.
/// </summary>
/// <remarks>
/// The warning goes through the application's own logger (under Serilog: to its sinks, the console), not to
/// Panopticon. Serilog is recognised by its factory's type name, so this package does not depend on it.
/// </remarks>
internal sealed class BypassedProviderCheck(IServiceProvider services) : IHostedLifecycleService
{
    internal const string SerilogFactory = "Serilog.Extensions.Logging.SerilogLoggerFactory";

    internal const string Warning =
        "Panopticon receives no log lines: Serilog's UseSerilog() replaces the logging providers, Panopticon's included. "
        + "Add the Panopticon sink (package Panopticon.Sdk.Serilog): UseSerilog((context, services, configuration) => "
        + "configuration.WriteTo.Panopticon(services)), or AddPanopticonMonitoring(...).AddSerilog() with ReadFrom.Services(services).";

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (ShouldWarn() && services.GetService<ILoggerFactory>() is { } factory)
            {
                factory.CreateLogger(DropReporter.Category).LogWarning(Warning);
            }
        }
        catch (Exception)
        {
            // A check that fails says nothing; it never stops the host.
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool ShouldWarn()
    {
        if (services.GetService<LogSources>() is not { AnyConnected: false }
            || services.GetService<ILoggerFactory>()?.GetType().FullName != SerilogFactory)
        {
            return false;
        }

        try
        {
            // Logs switched off (or the whole SDK): nothing is lost.
            return services.GetService<IOptions<PanopticonOptions>>()?.Value is { Enabled: true, EnableLogTracking: true };
        }
        catch (OptionsValidationException)
        {
            return false; // the host reports invalid options itself
        }
    }
}
