using System.Diagnostics;
using OpenTelemetry;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// Hands every ended, recorded activity of the application's <c>TracerProvider</c> to the client's sampling, which sends
/// it (copied into a pooled span record on this thread, so the activity dies young) or holds it with its trace until
/// the trace's local root ends. Spans that Panopticon's options exclude or its sampling leaves out are skipped here, and
/// only here: the provider's sampler and the instrumentations' filters are shared with the application's other exporters,
/// which still get every span.
/// </summary>
internal sealed class PanopticonSpanProcessor(PanopticonClient client, SpanExclusion[] exclusions) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data) => client.Sampling?.OnStarted(data);

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded || client.Sampling is not { } sampling)
        {
            return;
        }

        // An excluded local root still ends its trace: what the trace held is sent or dropped now.
        sampling.OnEnded(data, IsExcluded(data));
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
