namespace Panopticon.Sdk.Engine;

/// <summary>
/// The batches of one signal on their way at once, one per lane: while a batch waits for the endpoint (or for its
/// retries), the export loop serializes the next one into another lane, and compression and sending run on the
/// thread pool. Each lane has its own buffers, so memory stays bounded by the number of lanes. Only the export
/// loop calls this type.
/// </summary>
internal sealed class ExportLanes<T> : IDisposable
{
    private readonly BatchExporter<T>[] _exporters;
    private readonly Task[] _sends;

    public ExportLanes(IReadOnlyList<BatchExporter<T>> exporters)
    {
        _exporters = [.. exporters];
        _sends = new Task[_exporters.Length];
        Array.Fill(_sends, Task.CompletedTask);
    }

    public bool HasFreeLane => FreeLane() >= 0;

    /// <summary>Completes when a lane is free (at once if one is). Never faults.</summary>
    public Task WhenLaneFreeAsync() => HasFreeLane ? Task.CompletedTask : Task.WhenAny(_sends);

    /// <summary>Completes when every lane is free: all started batches have an outcome. Never faults.</summary>
    public async Task WhenIdleAsync() => await Task.WhenAll(_sends).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    /// <summary>
    /// Serializes <paramref name="batch"/> on the calling thread (the record serializer is not thread-safe), so the
    /// records can be released on return, then sends it on the thread pool. Call only when <see cref="HasFreeLane"/>.
    /// </summary>
    public void Start(IReadOnlyList<T> batch, CancellationToken cancellationToken)
    {
        var lane = FreeLane();
        if (lane < 0)
        {
            throw new InvalidOperationException("No free export lane.");
        }

        var exporter = _exporters[lane];
        exporter.Serialize(batch);
        _sends[lane] = Task.Run(() => exporter.SendAsync(cancellationToken), CancellationToken.None);
    }

    public void Dispose()
    {
        foreach (var exporter in _exporters)
        {
            exporter.Dispose();
        }
    }

    private int FreeLane()
    {
        for (var i = 0; i < _sends.Length; i++)
        {
            if (_sends[i].IsCompleted)
            {
                return i;
            }
        }

        return -1;
    }
}
