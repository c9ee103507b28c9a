using System.Diagnostics;
using OpenTelemetry;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// Hands every ended, sampled activity of the application's <c>TracerProvider</c> to the engine, which copies it into
/// a pooled span record on this thread (so the activity dies young) and serializes it later, on the export thread.
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
