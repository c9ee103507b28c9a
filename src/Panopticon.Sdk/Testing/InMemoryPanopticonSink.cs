using System.Text.Json;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Testing;

/// <summary>
/// Captures what the SDK would send, without a network: every record as the exact JSON object the Producer
/// would receive. Use it in tests with <c>AddPanopticon(...).UseInMemorySink(sink)</c> or <see cref="CreateClient"/>,
/// then <c>await client.FlushAsync()</c> and assert on <see cref="Logs"/> and <see cref="Spans"/>. Thread-safe.
/// </summary>
public sealed class InMemoryPanopticonSink
{
    private readonly object _lock = new();
    private readonly List<JsonElement> _logs = [];
    private readonly List<JsonElement> _spans = [];
    private int _requests;

    /// <summary>Log records received so far, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Logs
    {
        get
        {
            lock (_lock)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>Span records received so far, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Spans
    {
        get
        {
            lock (_lock)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Requests received so far (logs and spans).</summary>
    public int RequestCount
    {
        get
        {
            lock (_lock)
            {
                return _requests;
            }
        }
    }

    /// <summary>Forgets everything received.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _logs.Clear();
            _spans.Clear();
            _requests = 0;
        }
    }

    /// <summary>Creates a client that delivers to this sink. No API key is needed.</summary>
    public PanopticonClient CreateClient(Action<PanopticonOptions>? configure = null) =>
        PanopticonClient.Create(
            options =>
            {
                options.ApiKey = "in-memory";
                configure?.Invoke(options);
            },
            new SinkTransport(this),
            time: null);

    internal ITelemetryTransport CreateTransport() => new SinkTransport(this);

    private void Receive(ExportRequest request)
    {
        using var document = JsonDocument.Parse(request.Json);
        var records = document.RootElement.EnumerateArray().Select(record => record.Clone()).ToList();
        lock (_lock)
        {
            (request.Signal == TelemetrySignal.Logs ? _logs : _spans).AddRange(records);
            _requests++;
        }
    }

    private sealed class SinkTransport(InMemoryPanopticonSink sink) : ITelemetryTransport
    {
        public ValueTask<TransportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
        {
            sink.Receive(request);
            return ValueTask.FromResult(new TransportResponse(202, BodyBytes: request.Json.Length));
        }

        public void Dispose()
        {
        }
    }
}
