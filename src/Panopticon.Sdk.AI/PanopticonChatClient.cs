using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Panopticon.Sdk.AI;

/// <summary>
/// What <c>UsePanopticon()</c> adds to a chat pipeline: Microsoft.Extensions.AI's <see cref="OpenTelemetryChatClient"/>,
/// bypassed when the call already runs inside a chat span, i.e. when the application's own <c>UseOpenTelemetry()</c>
/// wraps this one (the other order is caught when the pipeline is built): one span per call, never two.
/// </summary>
internal sealed class PanopticonChatClient(IChatClient innerClient, bool captureMessageContent) : DelegatingChatClient(innerClient)
{
    private readonly OpenTelemetryChatClient _traced = new(innerClient) { EnableSensitiveData = captureMessageContent };

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        InsideChatSpan()
            ? base.GetResponseAsync(messages, options, cancellationToken)
            : _traced.GetResponseAsync(messages, options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        InsideChatSpan()
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : _traced.GetStreamingResponseAsync(messages, options, cancellationToken);

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        _traced.GetService(serviceType, serviceKey);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _traced.Dispose(); // disposes the inner client too
        }
    }

    private static bool InsideChatSpan() =>
        Activity.Current?.GetTagItem(GenAiTags.OperationName) is "chat";
}
