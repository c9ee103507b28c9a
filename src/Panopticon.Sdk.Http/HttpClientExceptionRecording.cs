using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;

namespace Panopticon.Sdk.Http;

/// <summary>
/// Turns on exception recording in the HttpClient instrumentation when the <c>TracerProvider</c> is built, so a call
/// that fails with an exception carries its type and message. What Panopticon sends is decided by
/// <see cref="HttpClientSpanExclusion"/>, not by the instrumentation's filter: that filter is shared with the
/// application's other exporters.
/// </summary>
internal sealed class HttpClientExceptionRecording(IServiceProvider services) : IPostConfigureOptions<HttpClientTraceInstrumentationOptions>
{
    public void PostConfigure(string? name, HttpClientTraceInstrumentationOptions options)
    {
        if (services.GetService(typeof(IOptions<PanopticonOptions>)) is IOptions<PanopticonOptions> { Value: { Enabled: true, EnableHttpClientTracking: true } })
        {
            options.RecordException = true;
        }
    }
}
