using System.Net;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// The innermost handler of a peer SDK's HTTP client in the micro benchmarks: answers 200 at once, so the peer runs
/// its whole export path (batching, serialization, compression) and sends nowhere.
/// </summary>
internal sealed class AcceptingHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
}
