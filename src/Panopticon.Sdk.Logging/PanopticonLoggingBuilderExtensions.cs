using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
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
    public static ILoggingBuilder AddPanopticon(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, PanopticonLoggerProvider>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BypassedProviderCheck>());
        return builder;
    }
}
