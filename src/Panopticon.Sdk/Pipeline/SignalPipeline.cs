using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Storage;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Pipeline;

/// <summary>
/// The export pipeline of one signal, wired together: queue → batch loop (serializes) → batch store → sender loop →
/// transport. Owns the order of a stop: close the queue, flush within the budget (or cancel what is in flight), end
/// the batch loop (which drops what is left in the queue), end the sender loop, then count what a memory store still
/// holds as dropped (a durable store keeps its batches for the next start).
/// </summary>
internal sealed class SignalPipeline<T> : IDisposable
    where T : class
{
    /// <summary>Batches a memory store holds: one per batch in flight, so a full store means the Producer is behind.</summary>
    private const int MemoryStoreBatches = SenderLoop.MaxBatchesInFlight;

    private readonly RecordQueue<T> _queue;
    private readonly BatchLoop<T> _batches;
    private readonly SenderLoop _senders;
    private readonly IBatchStore _store;
    private readonly PendingBatches _pending = new();
    private readonly ExportCircuit _circuit;
    private readonly CancellationTokenSource _abort = new();

    // release takes back pooled records; extraRecords gives records the SDK adds itself (the drop report);
    // store makes the store where serialized batches wait (in memory unless given), counting into this pipeline.
    public SignalPipeline(
        TelemetrySignal signal,
        PanopticonOptions options,
        IRecordSerializer<T> serializer,
        ITelemetryTransport transport,
        TimeProvider time,
        SignalCounters counters,
        ExportHealthReporter? health = null,
        Func<T?>? extraRecords = null,
        Action<T>? release = null,
        Func<IBufferAccounting, IBatchStore>? store = null)
    {
        Counters = counters;
        _queue = new RecordQueue<T>(options.MaxQueueSize, options.OverflowPolicy, release);
        counters.Queue = _queue;
        _store = store?.Invoke(new StoreAccounting(counters, _pending)) ?? new MemoryBatchStore(MemoryStoreBatches);
        var bodyLimit = new LearnedBodyLimit(options.MaxBatchBytes, time);
        _circuit = new ExportCircuit(time);
        var sender = new RetryingSender(transport, options, time, counters, signal, _circuit, health);
        _batches = new BatchLoop<T>(_queue, new BatchSerializer<T>(signal, serializer, options.MaxBatchBytes, counters), _store, _pending, bodyLimit, counters, time, options, _abort.Token, extraRecords, release);
        _senders = new SenderLoop(signal, _store, sender, bodyLimit, _pending, counters, time, _abort.Token, health);
        _senders.Start();
        _batches.Start();
    }

    public SignalCounters Counters { get; }

    /// <summary>Batches and bytes a durable store holds (none for a memory store).</summary>
    public (int Batches, long Bytes) Stored => _store.IsDurable ? (_store.Count, _store.Bytes) : (0, 0);

    /// <summary>Where the application's threads hand records over.</summary>
    public RecordQueue<T> Queue => _queue;

    public Task FlushAsync(CancellationToken cancellationToken) => _batches.FlushAsync(cancellationToken);

    /// <summary>Sends what is buffered until <paramref name="flushDeadline"/>; what is left then is dropped and counted.</summary>
    public async Task StopAsync(CancellationToken flushDeadline)
    {
        _queue.Close();
        try
        {
            await _batches.FlushAsync(flushDeadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false); // sends in flight end as cancelled, counted
        }

        await _batches.StopAsync().ConfigureAwait(false);
        await _senders.StopAsync().ConfigureAwait(false);
        if (!_store.IsDurable)
        {
            await DropStoredAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _batches.Dispose();
        _senders.Dispose();
        _circuit.Dispose();
        _store.Dispose();
        _abort.Dispose();
    }

    // Batches the sender loop never took (it stopped first): nobody will send them.
    private async Task DropStoredAsync()
    {
        using var nothingLeft = new CancellationTokenSource();
        await nothingLeft.CancelAsync().ConfigureAwait(false);
        while (_store.Count > 0)
        {
            SerializedBatch batch;
            try
            {
                batch = await _store.TakeAsync(nothingLeft.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Counters.OnDropped(DropReason.Shutdown, batch.RecordCount);
            _store.Complete(batch);
            _pending.Settle(batch);
        }
    }

    // What a disk store adds to or takes from this signal's totals: leftovers of an earlier process are accepted again;
    // a batch it drops is counted and settled, so a flush waiting for it ends.
    private sealed class StoreAccounting(SignalCounters counters, PendingBatches pending) : IBufferAccounting
    {
        public void OnRecovered(long records) => counters.OnAccepted(records);

        public void OnDropped(DropReason reason, Guid batchId, int records)
        {
            counters.OnDropped(reason, records);
            pending.Settle(batchId);
        }
    }
}
