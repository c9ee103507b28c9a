using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace Panopticon.Sdk.AspNetCore;

/// <summary>
/// Applies the Panopticon options to the ASP.NET Core instrumentation when the <c>TracerProvider</c> is built
/// (so flags bound from configuration count): ignored paths, exceptions recorded, and
/// <c>EnableHttpTracking</c>. Filters the application set itself are kept.
/// </summary>
internal sealed class ServerSpanOptions(IServiceProvider services) : IPostConfigureOptions<AspNetCoreTraceInstrumentationOptions>
{
    public void PostConfigure(string? name, AspNetCoreTraceInstrumentationOptions options)
    {
        if (services.GetService<PanopticonClient>() is not { IsEnabled: true } client)
        {
            return;
        }

        options.RecordException = true;
        var ignored = new IgnoredPaths(client.Options.IgnoredPaths);
        var userFilter = options.Filter;
        options.Filter = context => !ignored.Matches(context.Request.Path) && (userFilter?.Invoke(context) ?? true);

        if (!client.Options.EnableHttpTracking)
        {
            // The request's activity stays sampled while it runs, so the client and DB spans inside it are still
            // recorded (a sampled-out parent would drop them too); only the server span itself is not exported.
            var userEnrich = options.EnrichWithHttpResponse;
            options.EnrichWithHttpResponse = (activity, response) =>
            {
                userEnrich?.Invoke(activity, response);
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            };
        }
    }
}
