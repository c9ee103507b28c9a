using Panopticon.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Hooks that drop, enrich or change logs and spans before they are sent. They run on the export thread (never on the
/// thread that logged or ended the span), in the order they were added, after the SDK's own filtering and before
/// <c>RedactedLabelKeys</c> is applied. A hook that throws drops nothing: the record is sent without any hook's
/// changes, the failure is counted in <see cref="PanopticonStatistics.HookFailures"/>, and the first one of each signal
/// is written to the application's log (category <c>Panopticon.Sdk.Export</c>). Without DI, add them on the options of
/// <c>PanopticonClient.Create</c> (<see cref="PanopticonOptions.FilterSpans"/> and the others).
/// </summary>
public static class PanopticonHookExtensions
{
    /// <summary>Sends only the spans for which <paramref name="keep"/> returns <see langword="true"/>; the others are counted as dropped (<c>filtered</c>).</summary>
    public static IPanopticonBuilder FilterSpans(this IPanopticonBuilder builder, Func<PanopticonSpan, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return Configure(builder, options => options.FilterSpans(keep));
    }

    /// <summary>Lets <paramref name="enrich"/> add labels to, or change, every span before it is sent.</summary>
    public static IPanopticonBuilder EnrichSpans(this IPanopticonBuilder builder, Action<PanopticonSpan> enrich)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        return Configure(builder, options => options.EnrichSpans(enrich));
    }

    /// <summary>Sends only the log lines for which <paramref name="keep"/> returns <see langword="true"/>; the others are counted as dropped (<c>filtered</c>).</summary>
    public static IPanopticonBuilder FilterLogs(this IPanopticonBuilder builder, Func<PanopticonLog, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return Configure(builder, options => options.FilterLogs(keep));
    }

    /// <summary>Lets <paramref name="enrich"/> add labels to, or change, every log line before it is sent.</summary>
    public static IPanopticonBuilder EnrichLogs(this IPanopticonBuilder builder, Action<PanopticonLog> enrich)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        return Configure(builder, options => options.EnrichLogs(enrich));
    }

    private static IPanopticonBuilder Configure(IPanopticonBuilder builder, Action<PanopticonOptions> addHook)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(addHook);
        return builder;
    }
}
