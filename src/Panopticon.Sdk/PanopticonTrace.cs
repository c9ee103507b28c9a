using System.Diagnostics;

namespace Panopticon.Sdk;

/// <summary>
/// The current trace's ids, and your own spans without OpenTelemetry's API: <see cref="StartSpan"/>,
/// <see cref="RunAsync(string, Func{Activity?, Task})"/> and
/// <see cref="MarkFailed"/>. The spans come from <see cref="SourceName"/>, which the SDK always listens to while it is enabled.
/// </summary>
public static class PanopticonTrace
{
    /// <summary>The name of the <see cref="ActivitySource"/> behind <see cref="StartSpan"/>; the SDK listens to it while enabled.</summary>
    public const string SourceName = "Panopticon.Trace";

    private static readonly ActivitySource Source = new(SourceName, SdkVersion.Current);

    /// <summary>The current trace id as 32 lowercase hex characters, or <see langword="null"/> outside a trace.</summary>
    public static string? CurrentTraceId =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null;

    /// <summary>The current span id as 16 lowercase hex characters, or <see langword="null"/> outside a trace.</summary>
    public static string? CurrentSpanId =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity && activity.SpanId != default ? activity.SpanId.ToHexString() : null;

    /// <summary>
    /// Whether Panopticon sends the current trace's spans and logs as they end. <see langword="false"/> outside a trace, in
    /// a trace OpenTelemetry does not record (its caller's <c>traceparent</c> said not sampled), and in a trace that
    /// <see cref="PanopticonOptions.TracesSampleRatio"/> left out: that one is held until its local root span ends and
    /// sent only if something in it fails.
    /// </summary>
    public static bool IsSampled
    {
        get
        {
            var activity = Activity.Current;
            if (activity is null)
            {
                return false;
            }

            var root = activity;
            while (root.Parent is { } parent)
            {
                root = parent;
            }

            return root.GetCustomProperty(Sampling.TraceSampling.TraceProperty) is not Sampling.LocalTrace && activity.Recorded;
        }
    }

    /// <summary>
    /// Starts a span as a child of <see cref="Activity.Current"/> (a new trace when there is none) and makes it current;
    /// dispose it to end it. Tags become labels. Returns <see langword="null"/> when nothing listens (the SDK is off
    /// or not set up), so write <c>span?.SetTag(...)</c>.
    /// </summary>
    /// <param name="name">The span's name, e.g. <c>process-order</c>.</param>
    /// <param name="kind">INTERNAL by default; CLIENT or SERVER for calls across a process boundary.</param>
    /// <param name="tags">Labels of the span (strings, numbers or booleans).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static Activity? StartSpan(string name, ActivityKind kind = ActivityKind.Internal, IEnumerable<KeyValuePair<string, object?>>? tags = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Source.StartActivity(kind, tags: tags, name: name);
    }

    /// <summary>
    /// Marks <paramref name="span"/> failed: status ERROR with the exception's message, and an <c>exception</c> event
    /// that becomes the span's <c>exception_type</c>, <c>exception_message</c> and <c>exception_stacktrace</c> labels.
    /// Does nothing when <paramref name="span"/> is <see langword="null"/>.
    /// </summary>
    public static void MarkFailed(Activity? span, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (span is null)
        {
            return;
        }

        span.SetStatus(ActivityStatusCode.Error, exception.Message);
        span.AddException(exception);
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside a new INTERNAL span named <paramref name="name"/> (see <see cref="StartSpan"/>;
    /// add tags with <c>span?.SetTag(...)</c>) and ends the span when the work completes. An exception marks the span
    /// failed (<see cref="MarkFailed"/>) and is rethrown unchanged. The span handed to <paramref name="work"/> is
    /// <see langword="null"/> when the SDK is off; the work runs all the same.
    /// </summary>
    public static Task RunAsync(string name, Func<Activity?, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(name, async span =>
        {
            await work(span).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside a new span and returns its result; see
    /// <see cref="RunAsync(string, Func{Activity?, Task})"/>.
    /// </summary>
    public static async Task<T> RunAsync<T>(string name, Func<Activity?, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = StartSpan(name);
        try
        {
            return await work(span).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            MarkFailed(span, exception);
            throw;
        }
    }
}
