using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Panopticon.Sdk;
using Panopticon.Sdk.Logging;

namespace Microsoft.Extensions.Logging;

/// <summary>Adds the Panopticon logger provider to a logging pipeline.</summary>
public static class PanopticonLoggingBuilderExtensions
{
    /// <summary>
    /// Sends <c>ILogger</c> lines to Panopticon with the trace and span ids of <c>Activity.Current</c>. Needs the
    /// Panopticon core (<c>services.AddPanopticon(...)</c>); honours <c>EnableLogTracking</c> and <c>MinimumLogLevel</c>,
    /// and configuration filters under the provider alias <c>Panopticon</c> (<c>Logging:Panopticon:LogLevel</c>).
    /// Calling it more than once adds one provider.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// When the loggers are created, if the Panopticon core is not registered: use <see cref="AddPanopticon(ILoggingBuilder, PanopticonClient)"/> without it.
    /// </exception>
    public static ILoggingBuilder AddPanopticon(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, PanopticonLoggerProvider>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BypassedProviderCheck>());
        return builder;
    }

    /// <summary>
    /// Sends <c>ILogger</c> lines through <paramref name="client"/>, a client created without dependency injection
    /// (<c>LoggerFactory.Create(logging => logging.AddPanopticon(client))</c>), with the trace and span ids of
    /// <c>Activity.Current</c>. Honours <c>EnableLogTracking</c> and <c>MinimumLogLevel</c>, and the factory's own filters.
    /// Disposing the factory leaves the client running: dispose the client to send what is buffered.
    /// </summary>
    public static ILoggingBuilder AddPanopticon(this ILoggingBuilder builder, PanopticonClient client)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(client);
        builder.Services.AddSingleton<ILoggerProvider>(services => new PanopticonLoggerProvider(services, client));
        return builder;
    }
}
