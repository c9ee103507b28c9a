using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Engine;

/// <summary>Everything one signal needs, wired together: counters, queue, export loop and exporter.</summary>
internal sealed class SignalPipeline<T> : IDisposable
    where T : class
{
    // Batches of one signal on their way at once: one is serialized while another is compressed or waits for the endpoint.
    private const int ExportLanes = 2;

    private readonly SignalQueue<T> _queue;
    private readonly Batcher<T> _batcher;
    private readonly ExportCircuit _circuit;

    public SignalPipeline(
        TelemetrySignal signal,
        PanopticonOptions options,
        IRecordSerializer<T> serializer,
        ITelemetryTransport transport,
        TimeProvider time,
        SignalCounters counters,
        ExportHealthReporter? health = null,
        Func<T?>? extraRecords = null,
        Action<T>? release = null)
    {
        Counters = counters;
        _queue = new SignalQueue<T>(options.MaxQueueSize, options.OverflowPolicy, counters, release);
        var sender = new RetryingSender(transport, options, time, counters, signal, _circuit = new ExportCircuit(time), health);
        var reportedStatuses = new HashSet<int>();
        var serializerGate = new object(); // the lanes share the record serializer, one batch at a time
        var bodyLimit = new LearnedBodyLimit(options.MaxBatchBytes, time);
        var lanes = new BatchExporter<T>[ExportLanes];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = new BatchExporter<T>(signal, new BatchSerializer<T>(serializer, options.MaxBatchBytes), sender, bodyLimit, counters, reportedStatuses, serializerGate, time, health);
        }

        _batcher = new Batcher<T>(_queue, new ExportLanes<T>(lanes, release), counters, time, options.BatchSize, options.FlushInterval, extraRecords, release);
        _batcher.Start();
    }

    public SignalCounters Counters { get; }

    public bool TryEnqueue(T record) => _queue.TryEnqueue(record);

    public Task FlushAsync(CancellationToken cancellationToken) => _batcher.FlushAsync(cancellationToken);

    public Task StopAsync(CancellationToken flushDeadline)
    {
        _queue.Close();
        return _batcher.StopAsync(flushDeadline);
    }

    public void Dispose()
    {
        _batcher.Dispose();
        _circuit.Dispose();
    }
}
