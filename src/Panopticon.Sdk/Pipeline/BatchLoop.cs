using System.Collections.Concurrent;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Pipeline;

/// <summary>
/// The batch loop of one signal, on its own task: reads the queue into a batch and, when it holds <c>BatchSize</c>
/// records or <c>FlushInterval</c> has passed since its first one, serializes it (releasing each record right after)
/// into sealed batches under the body size limit, each added to the store. While the senders are all busy (a memory
/// store holds a batch per sender), the loop reads nothing: records collect in the queue (which drops its oldest when
/// full), and the next batch carries everything collected, up to <see cref="MaxRecords"/> (at most a queue's worth)
/// and the body size the Producer accepts. So at high rates there are few, large requests instead of one per
/// <c>BatchSize</c> records. (A durable store is never full: batches go to disk, and grow the same way while the
/// senders are busy.)
/// </summary>
internal sealed class BatchLoop<T> : IDisposable
    where T : class
{
    /// <summary>The most records one batch carries, however many are queued.</summary>
    public const int MaxRecords = 2_000;

    private readonly RecordQueue<T> _queue;
    private readonly BatchSerializer<T> _serializer;       // the loop's own
    private readonly List<T> _batch = [];                  // the loop's: records read, not yet serialized
    private readonly IBatchStore _store;
    private readonly PendingBatches _pending;
    private readonly LearnedBodyLimit _bodyLimit;
    private readonly SignalCounters _counters;
    private readonly TimeProvider _time;
    private readonly int _batchSize;
    private readonly int _maxRecords;
    private readonly int _storeFullAt;
    private readonly TimeSpan _interval;
    private readonly Func<T?>? _extraRecords;
    private readonly Action<T>? _release;
    private readonly ConcurrentQueue<TaskCompletionSource> _flushRequests = new(); // callers add, the loop takes
    private readonly CancellationToken _abort;             // the pipeline cancels it when the shutdown budget is spent
    private volatile TaskCompletionSource _wake = NewWake(); // callers complete it, the loop renews it
    private volatile bool _stopRequested;                    // set by the pipeline
    private volatile bool _exited;                           // set by the loop
    private DateTimeOffset _batchDeadline = DateTimeOffset.MaxValue; // the loop's
    private bool _behind; // the loop's: it waited for the senders, so the next batch takes all that collected meanwhile
    private Task _loop = Task.CompletedTask;

    // extraRecords is polled on every turn for records the SDK adds itself (the drop report);
    // release takes back each record once it is serialized (or dropped here): the loop is the one owner of read records.
    public BatchLoop(RecordQueue<T> queue, BatchSerializer<T> serializer, IBatchStore store, PendingBatches pending, LearnedBodyLimit bodyLimit, SignalCounters counters, TimeProvider time, PanopticonOptions options, CancellationToken abort, Func<T?>? extraRecords = null, Action<T>? release = null)
    {
        _queue = queue;
        _serializer = serializer;
        _store = store;
        _pending = pending;
        _bodyLimit = bodyLimit;
        _counters = counters;
        _time = time;
        _batchSize = options.BatchSize;
        _maxRecords = Math.Max(options.BatchSize, Math.Min(MaxRecords, options.MaxQueueSize));
        _storeFullAt = store.IsDurable ? int.MaxValue : SenderLoop.MaxBatchesInFlight;
        _interval = options.FlushInterval;
        _abort = abort;
        _extraRecords = extraRecords;
        _release = release;
    }

    public void Start()
    {
        // The loop must not inherit the Activity or AsyncLocals of whichever caller created the client.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Completes once every record queued before the call has its outcome (sent, failed or dropped).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var request = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushRequests.Enqueue(request);
        _wake.TrySetResult();
        if (_exited)
        {
            CompleteFlushRequests();
        }

        return request.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Ends the loop once pending flushes are done; what is still queued then is dropped and counted.</summary>
    public Task StopAsync()
    {
        _stopRequested = true;
        _wake.TrySetResult();
        return _loop;
    }

    public void Dispose() => _serializer.Dispose();

    private async Task RunAsync()
    {
        while (!_abort.IsCancellationRequested)
        {
            try
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = NewWake(); // before looking at requests, so a new request always finds a fresh wake
                }

                if (!_flushRequests.IsEmpty)
                {
                    await FlushQueuedAsync().ConfigureAwait(false);
                    continue;
                }

                if (_stopRequested)
                {
                    break;
                }

                if (await WaitForRoomAsync().ConfigureAwait(false))
                {
                    continue; // woken by a flush or a stop
                }

                if (_extraRecords?.Invoke() is { } extra)
                {
                    Add(extra);
                }

                ReadAvailable(int.MaxValue);
                if (_batch.Count >= _batchSize || (_batch.Count > 0 && _time.GetUtcNow() >= _batchDeadline))
                {
                    await StoreBatchAsync().ConfigureAwait(false);
                    continue;
                }

                await WaitForWorkAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // Never reached by design; if it is, the open batch is counted, not retried forever.
                PanopticonEventSource.Log.InternalError(nameof(BatchLoop<T>), exception.GetType().FullName ?? "Exception");
                _counters.OnFailed(DiscardBatch(0));
            }
        }

        long dropped = DiscardBatch(0);
        _counters.OnDropped(DropReason.Shutdown, dropped);
        dropped += _queue.Seal(); // counted by the queue
        if (dropped > 0)
        {
            PanopticonEventSource.Log.ShutdownCompleted((int)dropped);
        }

        _exited = true;
        CompleteFlushRequests();
    }

    // A flush marks the queue's current end: what is queued now goes into batches, then the flush waits for the
    // outcome of every batch serialized so far. A steady stream of new records cannot keep it waiting.
    private async Task FlushQueuedAsync()
    {
        var requests = new List<TaskCompletionSource>();
        while (_flushRequests.TryDequeue(out var request))
        {
            requests.Add(request);
        }

        try
        {
            // A pending drop report rides with the flush, so a flush leaves nothing of its own behind.
            if (_extraRecords?.Invoke() is { } extra)
            {
                Add(extra);
            }

            int read;
            var remaining = _queue.Count;
            do
            {
                read = ReadAvailable(remaining);
                remaining -= read;
                await StoreBatchAsync().ConfigureAwait(false);
            }
            while (remaining > 0 && read > 0);

            await _pending.WhenSettledAsync().WaitAsync(_abort).ConfigureAwait(false);

            // Drops that happened while sending (too large) are reported before the flush returns.
            if (_extraRecords?.Invoke() is { } late)
            {
                Add(late);
                await StoreBatchAsync().ConfigureAwait(false);
                await _pending.WhenSettledAsync().WaitAsync(_abort).ConfigureAwait(false);
            }
        }
        finally
        {
            // Also when the shutdown budget ran out: the stop that follows has settled everything by then.
            requests.ForEach(request => request.TrySetResult());
        }
    }

    // Reads up to `limit` records into the batch, as many as it may hold now; returns how many it read.
    private int ReadAvailable(int limit)
    {
        var maxRecords = _behind || _store.Count >= SenderLoop.MaxBatchesInFlight ? _maxRecords : _batchSize;
        var read = 0;
        while (read < limit && _batch.Count < maxRecords && _queue.TryDequeue(out var record))
        {
            Add(record);
            read++;
        }

        return read;
    }

    private void Add(T record)
    {
        if (_batch.Count == 0)
        {
            _batchDeadline = _time.GetUtcNow() + _interval;
        }

        _batch.Add(record);
    }

    // Serializes the batch into as many sealed batches as the body size limit needs, and adds each to the store.
    private async Task StoreBatchAsync()
    {
        var maxBytes = _bodyLimit.Bytes;
        var next = 0;
        try
        {
            while (next < _batch.Count)
            {
                var record = _batch[next++];
                try
                {
                    _serializer.Add(record, maxBytes);
                }
                finally
                {
                    _release?.Invoke(record); // serialized (or dropped and counted): never read again
                }

                if (_serializer.IsFull)
                {
                    await SealAsync().ConfigureAwait(false); // the record that did not fit opens the next one
                }
            }

            await SealAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var lost = DiscardBatch(next);
            if (exception is OperationCanceledException)
            {
                _counters.OnDropped(DropReason.Shutdown, lost);
            }
            else
            {
                _counters.OnFailed(lost);
            }

            throw;
        }

        _batch.Clear();
        _behind = false;
        _batchDeadline = DateTimeOffset.MaxValue;
    }

    // Drops the records from `from` on (released, not counted) and what the serializer holds; returns how many.
    private int DiscardBatch(int from)
    {
        var count = _batch.Count - from;
        for (var i = from; i < _batch.Count; i++)
        {
            _release?.Invoke(_batch[i]);
        }

        _batch.Clear();
        _batchDeadline = DateTimeOffset.MaxValue;
        return count + _serializer.Discard();
    }

    // Adds the open serialized batch to the store; waits while the store is full (records collect in the queue).
    private async Task SealAsync()
    {
        var batch = _serializer.Seal(_time.GetUtcNow());
        if (batch is null)
        {
            return;
        }

        _pending.Add(batch);
        try
        {
            await _store.AddAsync(batch, _abort).ConfigureAwait(false);
            if (_store.IsDurable)
            {
                _pending.Stored(batch); // on disk now: the buffer is free
            }
        }
        catch (OperationCanceledException)
        {
            _counters.OnDropped(DropReason.Shutdown, batch.RecordCount);
            _pending.Settle(batch);
            throw;
        }
    }

    // While a memory store holds a batch per sender, reads nothing until one settles; returns true when woken instead.
    private async Task<bool> WaitForRoomAsync()
    {
        while (true)
        {
            var settled = _pending.NextSettleAsync(); // before the count, so a settle in between is not missed
            if (_store.Count < _storeFullAt)
            {
                return false;
            }

            _behind = true;
            await Task.WhenAny(settled, _wake.Task).WaitAsync(_abort).ConfigureAwait(false);
            if (_wake.Task.IsCompleted)
            {
                return true;
            }
        }
    }

    private async Task WaitForWorkAsync()
    {
        var timeout = _batch.Count > 0 ? _batchDeadline - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (_extraRecords is not null && (timeout == Timeout.InfiniteTimeSpan || timeout > _interval))
        {
            timeout = _interval; // wake up now and then to publish the drop report
        }

        // Woken by the queue only for the first record of a batch (its deadline starts then) or once there are
        // enough records to fill it: not once per record.
        var dataArrived = _queue.WaitForCountAsync(_batch.Count == 0 ? 1 : _batchSize - _batch.Count);
        if (dataArrived.IsCompleted)
        {
            return;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(_abort);
        var due = Task.Delay(timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : timeout, _time, stopWaiting.Token);
        await Task.WhenAny(dataArrived, _wake.Task, due).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
    }

    private void CompleteFlushRequests()
    {
        while (_flushRequests.TryDequeue(out var request))
        {
            request.TrySetResult();
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
