namespace Panopticon.Sdk.Engine;

/// <summary>
/// The batches of one signal on their way at once, one per lane. A lane takes a batch from the export loop and, on
/// the thread pool, serializes it, releases its records, then compresses and sends it with its retries. So while one
/// lane waits for the endpoint (or compresses), the other serializes, and the loop is free to read the queue. Each
/// lane has its own buffers and holds at most one batch, so memory stays bounded by the number of lanes. Only the
/// export loop calls this type.
/// </summary>
internal sealed class ExportLanes<T> : IDisposable
{
    private readonly BatchExporter<T>[] _exporters;
    private readonly List<T>[] _batches;
    private readonly Task[] _work;
    private readonly Action<T>? _release;

    // release is called for every record of a batch once it is serialized, so pooled records can be reused.
    public ExportLanes(IReadOnlyList<BatchExporter<T>> exporters, Action<T>? release = null)
    {
        _exporters = [.. exporters];
        _batches = new List<T>[_exporters.Length];
        _work = new Task[_exporters.Length];
        for (var i = 0; i < _exporters.Length; i++)
        {
            _batches[i] = [];
            _work[i] = Task.CompletedTask;
        }

        _release = release;
    }

    public bool HasFreeLane => FreeLane() >= 0;

    /// <summary>Completes when a lane is free (at once if one is). Never faults.</summary>
    public Task WhenLaneFreeAsync() => HasFreeLane ? Task.CompletedTask : Task.WhenAny(_work);

    /// <summary>Completes when every lane is free: all started batches have an outcome. Never faults.</summary>
    public async Task WhenIdleAsync() => await Task.WhenAll(_work).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    /// <summary>
    /// Hands the records of <paramref name="batch"/> to a free lane (the caller may reuse the list at once) and starts
    /// exporting them. Call only when <see cref="HasFreeLane"/>.
    /// </summary>
    public void Start(List<T> batch, CancellationToken cancellationToken)
    {
        var lane = FreeLane();
        if (lane < 0)
        {
            throw new InvalidOperationException("No free export lane.");
        }

        var records = _batches[lane];
        records.AddRange(batch);
        _work[lane] = Task.Run(() => ExportAsync(_exporters[lane], records, cancellationToken), CancellationToken.None);
    }

    public void Dispose()
    {
        foreach (var exporter in _exporters)
        {
            exporter.Dispose();
        }
    }

    private async Task ExportAsync(BatchExporter<T> exporter, List<T> records, CancellationToken cancellationToken)
    {
        exporter.Serialize(records);
        try
        {
            if (_release is not null)
            {
                foreach (var record in records)
                {
                    _release(record);
                }
            }
        }
        catch (Exception exception)
        {
            // A record not returned to its pool is only garbage; its outcome is still counted by the send below.
            PanopticonEventSource.Log.InternalError(nameof(ExportLanes<T>), exception.GetType().FullName ?? "Exception");
        }

        records.Clear();
        await exporter.SendAsync(cancellationToken).ConfigureAwait(false);
    }

    private int FreeLane()
    {
        for (var i = 0; i < _work.Length; i++)
        {
            if (_work[i].IsCompleted)
            {
                return i;
            }
        }

        return -1;
    }
}
