using System.Diagnostics;

namespace Panopticon.Sdk;

/// <summary>The W3C ids of the current trace, e.g. to show a support reference to a user or to correlate with other systems.</summary>
public static class PanopticonTrace
{
    /// <summary>The current trace id as 32 lowercase hex characters, or <see langword="null"/> outside a trace.</summary>
    public static string? CurrentTraceId =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null;

    /// <summary>The current span id as 16 lowercase hex characters, or <see langword="null"/> outside a trace.</summary>
    public static string? CurrentSpanId =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && activity.SpanId != default ? activity.SpanId.ToHexString() : null;
}
