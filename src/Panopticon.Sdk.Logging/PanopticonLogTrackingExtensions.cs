using Microsoft.Extensions.Logging;
using Panopticon.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds log tracking to the Panopticon SDK.</summary>
public static class PanopticonLogTrackingExtensions
{
    /// <summary>
    /// Sends <c>ILogger</c> lines (at or above <c>MinimumLogLevel</c>, when <c>EnableLogTracking</c> is on) as Panopticon
    /// log records carrying the current trace and span ids. Same as <c>logging.AddPanopticon()</c>.
    /// </summary>
    public static IPanopticonBuilder AddLogTracking(this IPanopticonBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLogging(logging => logging.AddPanopticon());
        return builder;
    }
}
