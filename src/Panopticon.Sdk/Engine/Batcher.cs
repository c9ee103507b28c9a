using System.Collections.Concurrent;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// The export loop of one signal: reads the queue into batches and exports a batch when it holds
/// <c>BatchSize</c> records or when <c>FlushInterval</c> has passed since its first record. Flush requests
/// drain everything queued before them. Runs on its own task, with no ambient activity or context.
/// </summary>
/// <remarks>
/// Batches go out through <see cref="ExportLanes{T}"/>: the loop hands a batch to a free lane and moves on while the
/// lane serializes and sends it. It reads the queue only when a lane is free, so what is held beyond the queue stays
/// bounded by one batch per lane, and a full queue drops as soon as the lanes cannot keep up.
/// </remarks>
internal sealed class Batcher<T> : IDisposable
    where T : class
{
    private readonly SignalQueue<T> _queue;
    private readonly ExportLanes<T> _lanes;
    private readonly SignalCounters _counters;
    private readonly TimeProvider _time;
    private readonly int _batchSize;
    private readonly TimeSpan _interval;
    private readonly Func<T?>? _extraRecords;
    private readonly Action<T>? _release;
    private readonly ConcurrentQueue<TaskCompletionSource> _flushRequests = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<T> _batch;
    private volatile TaskCompletionSource _wake = NewWake();
    private volatile bool _stopRequested;
    private volatile bool _exited;
    private DateTimeOffset _batchDeadline = DateTimeOffset.MaxValue;
    private Task _loop = Task.CompletedTask;

    // extraRecords is polled on every turn of the loop for records the SDK adds itself (the drop report);
    // release is called for every record dropped here (shutdown leftovers); the lanes release the records they export.
    public Batcher(SignalQueue<T> queue, ExportLanes<T> lanes, SignalCounters counters, TimeProvider time, int batchSize, TimeSpan interval, Func<T?>? extraRecords = null, Action<T>? release = null)
    {
        _release = release;
        _queue = queue;
        _lanes = lanes;
        _counters = counters;
        _time = time;
        _batchSize = batchSize;
        _interval = interval;
        _extraRecords = extraRecords;
        _batch = new List<T>(batchSize);
    }

    public void Start()
    {
        // The loop must not inherit the Activity or AsyncLocals of whichever caller created the client.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Completes once every record queued before the call has been exported (sent, failed or dropped).</summary>
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

    /// <summary>Ends the loop: what is still queued after <paramref name="flushDeadline"/> is dropped and counted.</summary>
    public async Task StopAsync(CancellationToken flushDeadline)
    {
        try
        {
            await FlushAsync(flushDeadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        _stopRequested = true;
        _wake.TrySetResult();
        await _loop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _abort.Dispose();
        _lanes.Dispose();
    }

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
                    await DrainAsync().ConfigureAwait(false);
                    continue;
                }

                if (_stopRequested)
                {
                    break;
                }

                if (!_lanes.HasFreeLane)
                {
                    // Every lane is busy: leave the records in the queue (where overflow is counted) until one is free.
                    await Task.WhenAny(_lanes.WhenLaneFreeAsync(), _wake.Task).ConfigureAwait(false);
                    continue;
                }

                if (_extraRecords?.Invoke() is { } extra)
                {
                    Add(extra);
                }

                while (_batch.Count < _batchSize && _queue.TryDequeue(out var item))
                {
                    Add(item);
                }

                if (_batch.Count >= _batchSize || (_batch.Count > 0 && _time.GetUtcNow() >= _batchDeadline))
                {
                    ExportBatch();
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
                // Never reached by design (the exporter does not throw); if it is, the batch is counted, not retried forever.
                PanopticonEventSource.Log.InternalError(nameof(Batcher<T>), exception.GetType().FullName ?? "Exception");
                _counters.OnFailed(_batch.Count);
                ReleaseBatch();
            }
        }

        await _lanes.WhenIdleAsync().ConfigureAwait(false); // after an abort their sends end as cancelled, counted
        DropLeftovers();
        _exited = true;
        CompleteFlushRequests();
    }

    private async Task DrainAsync()
    {
        // Snapshot the requests first: everything they wait for is queued by now.
        var requests = new List<TaskCompletionSource>();
        while (_flushRequests.TryDequeue(out var request))
        {
            requests.Add(request);
        }

        // A pending drop report rides with the flush, so a flush leaves nothing of its own behind.
        if (_extraRecords?.Invoke() is { } extra)
        {
            await AddAsync(extra).ConfigureAwait(false);
        }

        // Read only what is queued now, so a steady stream of new records cannot keep a flush waiting.
        for (var remaining = _queue.Count; remaining > 0 && !_abort.IsCancellationRequested; remaining--)
        {
            if (_batch.Count == 0)
            {
                await _lanes.WhenLaneFreeAsync().ConfigureAwait(false);
            }

            if (!_queue.TryDequeue(out var item))
            {
                break;
            }

            Add(item);
            if (_batch.Count >= _batchSize)
            {
                ExportBatch();
            }
        }

        if (_batch.Count > 0)
        {
            ExportBatch();
        }

        await _lanes.WhenIdleAsync().ConfigureAwait(false);

        // Drops that happened while exporting (too large, unserializable) are reported before the flush returns.
        if (!_abort.IsCancellationRequested && _extraRecords?.Invoke() is { } late)
        {
            await AddAsync(late).ConfigureAwait(false);
            ExportBatch();
            await _lanes.WhenIdleAsync().ConfigureAwait(false);
        }

        requests.ForEach(request => request.TrySetResult());
    }

    private void Add(T item)
    {
        if (_batch.Count == 0)
        {
            _batchDeadline = _time.GetUtcNow() + _interval;
        }

        _batch.Add(item);
    }

    // A batch is only started when a lane is free for it, so exporting it never waits.
    private async ValueTask AddAsync(T item)
    {
        if (_batch.Count == 0)
        {
            await _lanes.WhenLaneFreeAsync().ConfigureAwait(false);
        }

        Add(item);
    }

    private void ExportBatch()
    {
        _lanes.Start(_batch, _abort.Token); // the lane owns the records now, and releases them
        _batch.Clear();
        _batchDeadline = DateTimeOffset.MaxValue;
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

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        var wake = _wake.Task;
        var due = Task.Delay(timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : timeout, _time, stopWaiting.Token);
        await Task.WhenAny(dataArrived, wake, due).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
    }

    private void DropLeftovers()
    {
        var dropped = _batch.Count;
        ReleaseBatch();
        while (_queue.TryDequeue(out var item))
        {
            _release?.Invoke(item);
            dropped++;
        }

        if (dropped > 0)
        {
            _counters.OnDropped(DropReason.Shutdown, dropped);
            PanopticonEventSource.Log.ShutdownCompleted(dropped);
        }
    }

    private void ReleaseBatch()
    {
        if (_release is not null)
        {
            foreach (var item in _batch)
            {
                _release(item);
            }
        }

        _batch.Clear();
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
