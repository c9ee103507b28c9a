using OpenTelemetry.Trace;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// The activity sources a Panopticon <c>TracerProvider</c> listens to: the SDK's own (<see cref="PanopticonTrace.SourceName"/>)
/// and the application's <see cref="PanopticonOptions.Sources"/>. None while the SDK is off, so
/// <see cref="PanopticonTrace.StartSpan"/> returns <see langword="null"/> and costs nothing.
/// </summary>
internal static class TracedSources
{
    public static TracerProviderBuilder AddTo(TracerProviderBuilder tracing, PanopticonOptions options)
    {
        if (!options.Enabled)
        {
            return tracing;
        }

        return tracing.AddSource([PanopticonTrace.SourceName, .. options.Sources]);
    }
}
