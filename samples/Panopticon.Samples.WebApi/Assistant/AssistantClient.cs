using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Panopticon.Samples.WebApi.Assistant;

/// <summary>
/// The app's <see cref="IChatClient"/>: Microsoft.Extensions.AI over the OpenAI client, pointed at
/// <c>Assistant:Endpoint</c>, or at this app's own stub model (<see cref="StubModelEndpoints"/>) when it is empty.
/// </summary>
internal static class AssistantClient
{
    public static IChatClient Create(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var endpoint = configuration["Assistant:Endpoint"] is { Length: > 0 } configured
            ? new Uri(configured)
            : new Uri(DownstreamAddress.Resolve(services), "v1");
        var key = configuration["Assistant:ApiKey"] is { Length: > 0 } apiKey ? apiKey : "stub-model-needs-no-key";
        var model = configuration["Assistant:Model"] is { Length: > 0 } name ? name : StubModelEndpoints.Model;
        return new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = endpoint })
            .GetChatClient(model)
            .AsIChatClient();
    }
}
