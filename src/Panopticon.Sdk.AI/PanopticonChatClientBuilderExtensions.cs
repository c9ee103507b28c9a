using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wires a Microsoft.Extensions.AI chat pipeline to Panopticon in one call.</summary>
public static class PanopticonChatClientBuilderExtensions
{
    /// <summary>
    /// Traces every call of this chat client (Microsoft.Extensions.AI's OpenTelemetry client on its default source),
    /// so <c>AddGenAiTracking()</c> sends it with model, tokens and cost. Message text is recorded only when
    /// <see cref="GenAiTrackingOptions.CaptureMessageContent"/> is on. Harmless beside <c>UseOpenTelemetry()</c>, in
    /// either order: each call still gives one span.
    /// </summary>
    public static ChatClientBuilder UsePanopticon(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((innerClient, services) =>
        {
            if (innerClient.GetService<OpenTelemetryChatClient>() is not null)
            {
                return innerClient; // the application's UseOpenTelemetry() is inside this one: it traces already
            }

            var capture = services.GetService<IOptions<GenAiTrackingOptions>>()?.Value.CaptureMessageContent ?? false;
            return new PanopticonChatClient(innerClient, capture);
        });
    }
}
