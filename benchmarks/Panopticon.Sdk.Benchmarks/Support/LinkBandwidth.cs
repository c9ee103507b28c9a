using System.Diagnostics;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// A network link of fixed bandwidth shared by every request to a sink: a body is answered only once the link would
/// have carried it (after everything before it), so senders wait as they would on a real uplink, not loopback.
/// </summary>
internal sealed class LinkBandwidth(long bytesPerSecond)
{
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(1); // shorter waits are carried over, not slept
    private readonly Lock _gate = new();
    private long _freeAt; // Stopwatch timestamp at which the link has carried everything read so far

    public long BytesPerSecond { get; } = bytesPerSecond;

    public Task CarryAsync(long bytes)
    {
        var now = Stopwatch.GetTimestamp();
        long done;
        lock (_gate)
        {
            done = Math.Max(now, _freeAt) + (bytes * Stopwatch.Frequency / BytesPerSecond);
            _freeAt = done;
        }

        var wait = Stopwatch.GetElapsedTime(now, done);
        return wait >= ShortestWait ? Task.Delay(wait) : Task.CompletedTask;
    }
}
