using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.Http;

namespace Panopticon.Sdk.Http;

/// <summary>
/// Applies <c>EnableHttpClientTracking</c> when the instrumentation's options are built (that is when the
/// <c>TracerProvider</c> is built, after configuration is bound), keeping any filter the application set itself.
/// A filtered call still propagates <c>traceparent</c>; it is only not recorded.
/// </summary>
internal sealed class HttpClientTrackingFilter(IServiceProvider services) : IPostConfigureOptions<HttpClientTraceInstrumentationOptions>
{
    public void PostConfigure(string? name, HttpClientTraceInstrumentationOptions options)
    {
        if (services.GetService(typeof(PanopticonClient)) is PanopticonClient { IsEnabled: true, Options.EnableHttpClientTracking: true })
        {
            options.RecordException = true;
            return;
        }

        options.FilterHttpRequestMessage = static _ => false;
    }
}
