namespace Panopticon.Sdk.Sampling;

/// <summary>
/// A token bucket for <see cref="PanopticonOptions.MaxTracesPerSecond"/>: refills at the rate, holds at most one
/// second's worth (at least one trace), so a quiet spell does not let a burst through later.
/// </summary>
internal sealed class TraceRateLimiter(double perSecond, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly double _capacity = Math.Max(1, perSecond);
    private double _tokens = Math.Max(1, perSecond);
    private long _refilledAt = time.GetTimestamp();

    public bool TryAcquire()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
