using OpenTelemetry.Trace;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// The <c>TracerProvider</c> of a client created without dependency injection (<see cref="PanopticonClient.Create(Action{PanopticonOptions})"/>):
/// there is no application provider to join, so the client owns one that listens to <see cref="TracedSources"/> and
/// hands ended spans to it. With DI the application's provider does this instead.
/// </summary>
internal static class ClientTracing
{
    /// <summary>The client's own provider, or <see langword="null"/> while the SDK is off. The client disposes it before it stops.</summary>
    public static TracerProvider? Start(PanopticonClient client)
    {
        if (!client.IsEnabled)
        {
            return null;
        }

        var tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddProcessor(new PanopticonSpanProcessor(client, []));
        return TracedSources.AddTo(tracing, client.Options).Build();
    }
}
