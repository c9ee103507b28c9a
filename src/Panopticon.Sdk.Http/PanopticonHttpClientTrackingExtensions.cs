using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Trace;
using Panopticon.Sdk;
using Panopticon.Sdk.Http;
using Panopticon.Sdk.Tracing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds client spans for outgoing <c>HttpClient</c> calls to the Panopticon SDK.</summary>
public static class PanopticonHttpClientTrackingExtensions
{
    /// <summary>
    /// Creates a CLIENT span for every outgoing <c>HttpClient</c> call (method, URL with query values redacted,
    /// status code; failures as ERROR) and injects the W3C <c>traceparent</c> header; Panopticon sends them when
    /// <c>EnableHttpClientTracking</c> is on. The SDK's own export calls are never traced.
    /// </summary>
    public static IPanopticonBuilder AddHttpClientTracking(this IPanopticonBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IPostConfigureOptions<HttpClientTraceInstrumentationOptions>, HttpClientExceptionRecording>());

        // Resolved when the TracerProvider is built, so flags bound from configuration count.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<SpanExclusion, HttpClientSpanExclusion>(
            services => new HttpClientSpanExclusion(services.GetRequiredService<IOptions<PanopticonOptions>>().Value)));
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddHttpClientInstrumentation());
        return builder;
    }
}
