using System.Diagnostics;
using OpenTelemetry;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// Hands every ended, sampled activity of the application's <c>TracerProvider</c> to the engine. The activity
/// itself is queued (it no longer changes once ended) and converted on the export thread, so the request
/// thread pays for one queue write only.
/// </summary>
internal sealed class PanopticonSpanProcessor(PanopticonClient client) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Recorded)
        {
            client.TryWriteSpan(data);
        }
    }
}
