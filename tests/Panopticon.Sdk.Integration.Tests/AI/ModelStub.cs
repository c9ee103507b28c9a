using System.Collections.Concurrent;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Panopticon.Sdk.Integration.Tests.AI;

/// <summary>
/// WireMock playing an OpenAI-compatible model endpoint: <c>POST /v1/chat/completions</c> answers a completion with
/// usage (prompt 1 200, completion 300, of which 200 cached), as one JSON body or as server-sent chunks when the
/// request streams, or the status <see cref="FailWith"/> sets. Keeps the request bodies.
/// </summary>
internal sealed class ModelStub : IDisposable
{
    public const string ResponseModel = "gpt-4o-mini-2024-07-18";
    public const string Answer = "Forty-two, of course.";
    private const string Usage = """{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,"prompt_tokens_details":{"cached_tokens":200}}""";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ConcurrentQueue<string> _requests = new();

    public ModelStub(int? failWith = null)
    {
        _server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var body = request.Body ?? "";
            _requests.Enqueue(body);
            if (failWith is { } status)
            {
                return Reply(status, "application/json", """{"error":{"message":"Rate limit reached","type":"rate_limit_exceeded"}}""");
            }

            return body.Contains("\"stream\":true", StringComparison.Ordinal)
                ? Reply(200, "text/event-stream", Chunks())
                : Reply(200, "application/json", $$"""{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"{{ResponseModel}}","choices":[{"index":0,"message":{"role":"assistant","content":"{{Answer}}"},"finish_reason":"stop"}],"usage":{{Usage}}}""");
        }));
    }

    /// <summary>The base URL an OpenAI client takes as its endpoint.</summary>
    public Uri Endpoint => new($"{_server.Url}/v1");

    public IReadOnlyList<string> Requests => [.. _requests];

    public void Dispose() => _server.Stop();

    private static string Chunks()
    {
        var head = $$"""{"id":"chatcmpl-2","object":"chat.completion.chunk","created":1700000000,"model":"{{ResponseModel}}","choices":""";
        return string.Concat(
            $$"""data: {{head}}[{"index":0,"delta":{"role":"assistant","content":"Forty-two,"},"finish_reason":null}]}""", "\n\n",
            $$"""data: {{head}}[{"index":0,"delta":{"content":" of course."},"finish_reason":"stop"}]}""", "\n\n",
            $$"""data: {{head}}[],"usage":{{Usage}}}""", "\n\n",
            "data: [DONE]\n\n");
    }

    private static WireMock.ResponseMessage Reply(int status, string contentType, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new(contentType) },
        BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
    };
}
