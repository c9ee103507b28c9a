using System.Diagnostics;
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
    private readonly CompressedBodyBuffers _buffers = new();

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

        var compressed = _gzip ? _buffers.Compress(request.Json.Span) : null;
        var (response, bodyRead) = await PostAsync(request, compressed, cancellationToken).ConfigureAwait(false);
        if (compressed is not null && bodyRead)
        {
            _buffers.Return(compressed); // the request is over and its body was read whole: nothing uses it any more
        }

        return response;
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

    /// <summary>Sends one body; also says whether the endpoint accepted it, i.e. read it to the end.</summary>
    private async Task<(TransportResponse Response, bool BodyRead)> PostAsync(ExportRequest request, MemoryStream? compressed, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Signal == TelemetrySignal.Logs ? _logsUri : _spansUri);
        message.Content = CreateContent(request.Json, compressed);
        message.Headers.TryAddWithoutValidation("X-API-Key", _apiKey);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.TryAddWithoutValidation("X-Panopticon-Batch-Id", request.BatchId.ToString("D"));
        var bodyBytes = message.Content.Headers.ContentLength ?? request.Json.Length;

        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var answer = new TransportResponse((int)response.StatusCode, RetryAfterOf(response.Headers.RetryAfter), bodyBytes);
        if (answer.IsPayloadRefused)
        {
            answer = answer with { Reason = await ReasonOfAsync(response, cancellationToken).ConfigureAwait(false) };
        }

        return (answer, response.IsSuccessStatusCode);
    }

    /// <summary>The start of the Producer's answer to a refused payload; never more than a few KB read, never throws.</summary>
    private async Task<string?> ReasonOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = new byte[ProducerReason.MaxBodyBytes];
            var read = 0;
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int chunk;
                while (read < body.Length && (chunk = await stream.ReadAsync(body.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    read += chunk;
                }
            }

            var reason = ProducerReason.From(body.AsSpan(0, read));

            // A Producer that echoed the request's key must not have it printed in the application's log.
            return _apiKey.Length > 0 && reason?.Contains(_apiKey, StringComparison.Ordinal) == true ? reason.Replace(_apiKey, "***", StringComparison.Ordinal) : reason;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static HttpContent CreateContent(ReadOnlyMemory<byte> json, MemoryStream? compressed)
    {
        HttpContent content;
        if (compressed is not null)
        {
            content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
            content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            content = new ReadOnlyMemoryContent(json); // the payload buffer outlives the request
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
