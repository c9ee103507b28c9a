using Panopticon.Sdk.Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace Serilog;

/// <summary>Adds the Panopticon sink to a Serilog logger configuration (<c>WriteTo.Panopticon(...)</c>).</summary>
public static class PanopticonLoggerConfigurationExtensions
{
    /// <summary>
    /// Sends events to Panopticon through the client registered in <paramref name="services"/> by
    /// <c>AddPanopticonMonitoring(...)</c> or <c>AddPanopticon(...)</c>; for
    /// <c>UseSerilog((context, services, configuration) => configuration.WriteTo.Panopticon(services))</c>.
    /// The client is looked up on the first event, so the sink can be configured while the container is being built.
    /// Honours <c>Enabled</c> and <c>EnableLogTracking</c>; levels are Serilog's (<c>MinimumLevel</c>, its overrides and
    /// <paramref name="restrictedToMinimumLevel"/>).
    /// </summary>
    /// <param name="sinkConfiguration">Serilog's <c>WriteTo</c>.</param>
    /// <param name="services">The application's service provider.</param>
    /// <param name="restrictedToMinimumLevel">The lowest level sent to Panopticon; lower events still reach other sinks.</param>
    /// <param name="levelSwitch">A switch to change that level at run time; overrides <paramref name="restrictedToMinimumLevel"/>.</param>
    public static LoggerConfiguration Panopticon(
        this LoggerSinkConfiguration sinkConfiguration,
        IServiceProvider services,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        LoggingLevelSwitch? levelSwitch = null)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        ArgumentNullException.ThrowIfNull(services);
        return sinkConfiguration.Sink(new PanopticonSink(services), restrictedToMinimumLevel, levelSwitch);
    }
}
