using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace Panopticon.Sdk.AspNetCore;

/// <summary>
/// Turns on exception recording in the ASP.NET Core instrumentation when the <c>TracerProvider</c> is built, so a
/// request that fails with an exception carries its type and message. What Panopticon sends is decided by
/// <see cref="ServerSpanExclusion"/>, not by the instrumentation's filter: that filter is shared with the
/// application's other exporters.
/// </summary>
internal sealed class ServerSpanOptions(IServiceProvider services) : IPostConfigureOptions<AspNetCoreTraceInstrumentationOptions>
{
    public void PostConfigure(string? name, AspNetCoreTraceInstrumentationOptions options)
    {
        if (services.GetService<IOptions<PanopticonOptions>>()?.Value is { Enabled: true, EnableHttpTracking: true })
        {
            options.RecordException = true;
        }
    }
}
