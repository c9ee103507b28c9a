using Panopticon.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Hooks that drop, enrich or change logs and spans before they are sent. They run on the export thread (never on the
/// thread that logged or ended the span), in the order they were added, after the SDK's own filtering and before
/// <c>RedactedLabelKeys</c> is applied. A hook that throws drops nothing: the record is sent without any hook's
/// changes, and the failure is counted in <see cref="PanopticonStatistics.HookFailures"/>.
/// </summary>
public static class PanopticonHookExtensions
{
    /// <summary>Sends only the spans for which <paramref name="keep"/> returns <see langword="true"/>; the others are counted as dropped (<c>filtered</c>).</summary>
    public static IPanopticonBuilder FilterSpans(this IPanopticonBuilder builder, Func<PanopticonSpan, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return AddSpanHook(builder, keep);
    }

    /// <summary>Lets <paramref name="enrich"/> add labels to, or change, every span before it is sent.</summary>
    public static IPanopticonBuilder EnrichSpans(this IPanopticonBuilder builder, Action<PanopticonSpan> enrich)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        return AddSpanHook(builder, span =>
        {
            enrich(span);
            return true;
        });
    }

    /// <summary>Sends only the log lines for which <paramref name="keep"/> returns <see langword="true"/>; the others are counted as dropped (<c>filtered</c>).</summary>
    public static IPanopticonBuilder FilterLogs(this IPanopticonBuilder builder, Func<PanopticonLog, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return AddLogHook(builder, keep);
    }

    /// <summary>Lets <paramref name="enrich"/> add labels to, or change, every log line before it is sent.</summary>
    public static IPanopticonBuilder EnrichLogs(this IPanopticonBuilder builder, Action<PanopticonLog> enrich)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        return AddLogHook(builder, log =>
        {
            enrich(log);
            return true;
        });
    }

    private static IPanopticonBuilder AddSpanHook(IPanopticonBuilder builder, Func<PanopticonSpan, bool> hook)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<PanopticonOptions>(options => options.SpanHooks.Add(hook));
        return builder;
    }

    private static IPanopticonBuilder AddLogHook(IPanopticonBuilder builder, Func<PanopticonLog, bool> hook)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<PanopticonOptions>(options => options.LogHooks.Add(hook));
        return builder;
    }
}
