using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Pipeline;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// Consumes a Panopticon queue the way OpenTelemetry's batch processor feeds a no-op exporter: a thread woken once
/// 512 records wait takes them all and gives each back to its pool, unserialized. With the client's own export loop
/// parked (<see cref="StalledTransport"/>), a benchmark row then measures the calling thread of a healthy service,
/// whose queue is short and whose records come back warm, against OpenTelemetry's row on equal terms: neither
/// serializes.
/// </summary>
internal sealed class NoopExport<T> : IDisposable
    where T : class, IPooledRecord
{
    private const int BatchSize = 512; // OpenTelemetry's default maxExportBatchSize
    private readonly RecordQueue<T> _queue;
    private readonly RecordPool<T> _pool;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public NoopExport(RecordQueue<T> queue, RecordPool<T> pool)
    {
        _queue = queue;
        _pool = pool;
        _loop = Task.Run(RunAsync);
    }

    public static NoopExport<LogRecord> Logs(PanopticonClient client) => new(client.LogQueue!, client.LogRecordPool);

    public static NoopExport<SpanRecord> Spans(PanopticonClient client) => new(client.SpanQueue!, client.SpanRecordPool);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Like OpenTelemetry's exporter thread: a full batch or the scheduled delay, whichever comes first.
                await _queue.WaitForCountAsync(BatchSize).WaitAsync(TimeSpan.FromSeconds(5), _stop.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }

            while (_queue.TryDequeue(out var record))
            {
                _pool.Return(record);
            }
        }
    }
}
