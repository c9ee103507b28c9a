using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Trace;
using Panopticon.Sdk;
using Panopticon.Sdk.AspNetCore;
using Panopticon.Sdk.Tracing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sets up Panopticon monitoring for ASP.NET Core applications.</summary>
public static class PanopticonAspNetCoreExtensions
{
    /// <summary>
    /// The one call for web apps: registers the Panopticon SDK with server spans for incoming requests,
    /// client spans for outgoing <c>HttpClient</c> calls and <c>ILogger</c> lines, all sharing the request's
    /// trace id, each switched by <c>EnableHttpTracking</c>, <c>EnableHttpClientTracking</c> and
    /// <c>EnableLogTracking</c>. Chain <c>.AddEntityFrameworkCore()</c> for database spans.
    /// </summary>
    public static IPanopticonBuilder AddPanopticonMonitoring(this IServiceCollection services, Action<PanopticonOptions> configure) =>
        services.AddPanopticon(configure).AddAspNetCore().AddHttpClientTracking().AddLogTracking();

    /// <summary>
    /// Same as <see cref="AddPanopticonMonitoring(IServiceCollection, Action{PanopticonOptions})"/>, with the options bound
    /// from <paramref name="configuration"/>: the <c>Panopticon</c> section itself or a root that contains it.
    /// </summary>
    public static IPanopticonBuilder AddPanopticonMonitoring(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPanopticon(configuration).AddAspNetCore().AddHttpClientTracking().AddLogTracking();

    /// <summary>
    /// Creates a SERVER span for every incoming request, sent to Panopticon when <c>EnableHttpTracking</c> is on: named
    /// <c>{METHOD} {route template}</c>, with method, path (no query string), status code and route; ERROR on 5xx and
    /// unhandled exceptions; an incoming <c>traceparent</c> is continued. Requests to <c>IgnoredPaths</c>, and the spans
    /// inside them, are not sent to Panopticon; the application's other OpenTelemetry exporters still receive them.
    /// <c>TraceIdResponseHeader</c> returns the trace id in a response header.
    /// </summary>
    public static IPanopticonBuilder AddAspNetCore(this IPanopticonBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IPostConfigureOptions<AspNetCoreTraceInstrumentationOptions>, ServerSpanOptions>());
        // Resolved when the TracerProvider is built, so flags bound from configuration count.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<SpanExclusion, ServerSpanExclusion>(
            services => new ServerSpanExclusion(services.GetRequiredService<IOptions<PanopticonOptions>>().Value)));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, TraceIdResponseHeaderStartupFilter>());
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
        return builder;
    }
}
