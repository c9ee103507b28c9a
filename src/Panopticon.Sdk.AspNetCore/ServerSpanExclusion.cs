using System.Diagnostics;
using Panopticon.Sdk.Tracing;

namespace Panopticon.Sdk.AspNetCore;

/// <summary>
/// Keeps out of what Panopticon sends: the request spans of ASP.NET Core when <c>EnableHttpTracking</c> is off, and
/// requests to <c>IgnoredPaths</c> together with every span inside them (a health check's database query). The
/// application's other exporters still get all of them.
/// </summary>
internal sealed class ServerSpanExclusion(PanopticonOptions options) : SpanExclusion
{
    // The name ASP.NET Core gives its request activities.
    private const string OperationName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private readonly bool _serverSpans = options.EnableHttpTracking;
    private readonly IgnoredPaths _ignored = new(options.IgnoredPaths);

    public override bool Excludes(Activity activity)
    {
        if (IsRequest(activity))
        {
            return !_serverSpans || IsIgnored(activity);
        }

        if (_ignored.IsEmpty)
        {
            return false;
        }

        for (var parent = activity.Parent; parent is not null; parent = parent.Parent)
        {
            if (IsRequest(parent))
            {
                return IsIgnored(parent);
            }
        }

        return false;
    }

    private static bool IsRequest(Activity activity) =>
        activity.Kind == ActivityKind.Server && string.Equals(activity.OperationName, OperationName, StringComparison.Ordinal);

    // url.path is set by the OpenTelemetry instrumentation when the request starts: the path without the query string.
    private bool IsIgnored(Activity request) => request.GetTagItem(HttpTagNames.UrlPath) is string path && _ignored.Matches(path);
}
