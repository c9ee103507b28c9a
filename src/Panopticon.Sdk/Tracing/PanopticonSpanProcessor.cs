using System.Diagnostics;
using OpenTelemetry;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// Hands every ended, sampled activity of the application's <c>TracerProvider</c> to the engine, which copies it into
/// a pooled span record on this thread (so the activity dies young) and serializes it later, on the export thread.
/// Spans that Panopticon's options exclude are skipped here, and only here: the provider's sampling and the
/// instrumentations' filters are shared with the application's other exporters.
/// </summary>
internal sealed class PanopticonSpanProcessor(PanopticonClient client, SpanExclusion[] exclusions) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Recorded && !IsExcluded(data))
        {
            client.TryWriteSpan(data);
        }
    }

    private bool IsExcluded(Activity activity)
    {
        foreach (var exclusion in exclusions)
        {
            if (exclusion.Excludes(activity))
            {
                return true;
            }
        }

        return false;
    }
}
