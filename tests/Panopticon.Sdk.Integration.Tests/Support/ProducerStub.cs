using System.Collections.Concurrent;
using System.Text.Json;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Panopticon.Sdk.Integration.Tests.Support;

/// <summary>
/// WireMock playing the Panopticon Producer: answers 202 to <c>/sdk/logs</c> and <c>/sdk/traces</c> and keeps every
/// record, recorded before the answer is sent, so a completed <c>FlushAsync</c> means the records are here.
/// </summary>
internal sealed class ProducerStub : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ConcurrentQueue<JsonElement> _logs = new();
    private readonly ConcurrentQueue<JsonElement> _spans = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requestHeaders = new();

    public ProducerStub()
    {
        _server.Given(Request.Create().WithPath("/sdk/logs").UsingPost()).RespondWith(Response.Create().WithCallback(request => Receive(request, _logs)));
        _server.Given(Request.Create().WithPath("/sdk/traces").UsingPost()).RespondWith(Response.Create().WithCallback(request => Receive(request, _spans)));
    }

    public string Url => _server.Url!;

    public IReadOnlyList<JsonElement> Logs => [.. _logs];

    public IReadOnlyList<JsonElement> Spans => [.. _spans];

    public IReadOnlyList<IReadOnlyDictionary<string, string>> RequestHeaders => [.. _requestHeaders];

    public void Dispose() => _server.Stop();

    private ResponseMessage Receive(IRequestMessage request, ConcurrentQueue<JsonElement> records)
    {
        _requestHeaders.Enqueue(Headers.Of(request));
        using var document = JsonDocument.Parse(request.Body ?? "[]");
        foreach (var record in document.RootElement.EnumerateArray())
        {
            records.Enqueue(record.Clone());
        }

        return new ResponseMessage { StatusCode = 202, BodyData = new WireMock.Util.BodyData { BodyAsString = "{\"success\":true}", DetectedBodyType = WireMock.Types.BodyType.String } };
    }
}

/// <summary>WireMock playing a downstream service: <c>GET /inventory</c> answers 200, <c>/fail</c> answers 500; remembers request headers.</summary>
internal sealed class DownstreamStub : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requests = new();

    public DownstreamStub()
    {
        _server.Given(Request.Create().WithPath("/fail")).RespondWith(Response.Create().WithCallback(request => Record(request, 500)));
        _server.Given(Request.Create().WithPath("/*")).AtPriority(10).RespondWith(Response.Create().WithCallback(request => Record(request, 200)));
    }

    public string Url => _server.Url!;

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests => [.. _requests];

    public void Dispose() => _server.Stop();

    private ResponseMessage Record(IRequestMessage request, int status)
    {
        _requests.Enqueue(Headers.Of(request));
        return new ResponseMessage { StatusCode = status, BodyData = new WireMock.Util.BodyData { BodyAsString = "{\"available\":3}", DetectedBodyType = WireMock.Types.BodyType.String } };
    }
}

internal static class Headers
{
    public static IReadOnlyDictionary<string, string> Of(IRequestMessage request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
        {
            headers[name] = string.Join(",", values);
        }

        return headers;
    }
}
