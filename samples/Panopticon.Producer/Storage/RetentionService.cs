using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;

namespace Panopticon.Producer.Storage;

/// <summary>Deletes records older than <c>Producer:Storage:Retention</c>, once at start and then every sweep interval.</summary>
internal sealed partial class RetentionService(
    ITelemetryStore store,
    IOptions<ProducerOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private int _completedSweeps;

    /// <summary>One sweep; public so tests can run it without waiting for the timer.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Storage.Retention;
        var deleted = await store.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
        LogSwept(deleted, cutoff);
        return deleted;
    }

    /// <summary>Completed sweeps, so tests can wait for the timer-driven one.</summary>
    public int CompletedSweeps => Volatile.Read(ref _completedSweeps);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Storage.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _completedSweeps);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed sweep (e.g. storage briefly unreachable) is retried at the next tick.
                LogSweepFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention sweep deleted {Deleted} rows older than {Cutoff:o}")]
    private partial void LogSwept(int deleted, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed")]
    private partial void LogSweepFailed(Exception exception);
}
