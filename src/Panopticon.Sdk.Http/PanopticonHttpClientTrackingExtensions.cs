using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Trace;
using Panopticon.Sdk;
using Panopticon.Sdk.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds client spans for outgoing <c>HttpClient</c> calls to the Panopticon SDK.</summary>
public static class PanopticonHttpClientTrackingExtensions
{
    /// <summary>
    /// Creates a CLIENT span for every outgoing <c>HttpClient</c> call (method, URL with query values redacted,
    /// status code; failures as ERROR) and injects the W3C <c>traceparent</c> header, when
    /// <c>EnableHttpClientTracking</c> is on. The SDK's own export calls are never traced.
    /// </summary>
    public static IPanopticonBuilder AddHttpClientTracking(this IPanopticonBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IPostConfigureOptions<HttpClientTraceInstrumentationOptions>, HttpClientTrackingFilter>());
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddHttpClientInstrumentation());
        return builder;
    }
}
