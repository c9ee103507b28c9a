using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using OpenTelemetry;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Transport;

/// <summary>
/// POSTs batches to the Producer with its own <see cref="HttpClient"/>, invisible to the application's
/// <c>IHttpClientFactory</c> pipeline and never traced: no activity, no <c>traceparent</c>, instrumentation suppressed.
/// </summary>
internal sealed class HttpTransport : ITelemetryTransport
{
    private static readonly string UserAgent = "panopticon-dotnet/" + SdkVersion.Current;
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient _client;
    private readonly Uri _logsUri;
    private readonly Uri _spansUri;
    private readonly string _apiKey;
    private readonly bool _gzip;
    private readonly TimeProvider _time;

    public HttpTransport(PanopticonOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _client = new HttpClient(handler ?? CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var baseUrl = options.Endpoint.TrimEnd('/');
        _logsUri = new Uri(options.LogEndpoint ?? baseUrl + "/sdk/logs");
        _spansUri = new Uri(options.TraceEndpoint ?? baseUrl + "/sdk/traces");
        _apiKey = options.ApiKey ?? string.Empty;
        _gzip = options.Compression == PanopticonCompression.Gzip;
        _time = time;
    }

    public async ValueTask<TransportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        // Both changes are undone when this async method returns: they only cover the export call itself.
        Activity.Current = null;
        using var suppress = SuppressInstrumentationScope.Begin();

        using var message = new HttpRequestMessage(HttpMethod.Post, request.Signal == TelemetrySignal.Logs ? _logsUri : _spansUri);
        message.Content = CreateContent(request.Json, out var bodyBytes);
        message.Headers.TryAddWithoutValidation("X-API-Key", _apiKey);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.TryAddWithoutValidation("X-Panopticon-Batch-Id", request.BatchId.ToString("D"));

        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new TransportResponse((int)response.StatusCode, RetryAfterOf(response.Headers.RetryAfter), bodyBytes);
    }

    public void Dispose() => _client.Dispose();

    private static SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false, // the Producer keeps no session: no cookie container to consult on every request
        // No propagator means no DiagnosticsHandler: the export call creates no activity and sends no traceparent.
        ActivityHeadersPropagator = null,
    };

    private HttpContent CreateContent(ReadOnlyMemory<byte> json, out long bodyBytes)
    {
        HttpContent content;
        if (_gzip)
        {
            var compressed = new MemoryStream(json.Length / 4 + 64);
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(json.Span);
            }

            content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
            content.Headers.ContentEncoding.Add("gzip");
            bodyBytes = compressed.Length;
        }
        else
        {
            content = new ReadOnlyMemoryContent(json); // the payload buffer outlives the request
            bodyBytes = json.Length;
        }

        content.Headers.ContentType = JsonContentType;
        return content;
    }

    private TimeSpan? RetryAfterOf(RetryConditionHeaderValue? retryAfter) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
