using System.Diagnostics;
using Panopticon.Sdk.Tracing;

namespace Panopticon.Sdk.Http;

/// <summary>
/// Keeps <c>HttpClient</c> spans out of what Panopticon sends when <c>EnableHttpClientTracking</c> is off; the
/// application's other exporters still get them, and <c>traceparent</c> is still sent.
/// </summary>
internal sealed class HttpClientSpanExclusion(PanopticonOptions options) : SpanExclusion
{
    // The name .NET gives an outgoing HttpClient request's activity.
    private const string OperationName = "System.Net.Http.HttpRequestOut";

    private readonly bool _clientSpans = options.EnableHttpClientTracking;

    public override bool Excludes(Activity activity) =>
        !_clientSpans && activity.Kind == ActivityKind.Client && string.Equals(activity.OperationName, OperationName, StringComparison.Ordinal);
}
