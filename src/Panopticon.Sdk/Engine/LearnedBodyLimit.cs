namespace Panopticon.Sdk.Engine;

/// <summary>
/// The request body size (uncompressed JSON) the Producer has been seen to accept for one signal's endpoint. A 413
/// lowers it to half the refused body, where halving would look next, so later batches are cut under it and a steady
/// limit costs one refusal instead of several per batch. After <see cref="HoldAfterRefusal"/> without a refusal it
/// grows by an eighth per accepted body until it is back at <c>MaxBatchBytes</c>, so a raised limit is found again.
/// Thread-safe: the batch loop (which cuts batches under it) and the sends of a signal share it.
/// </summary>
internal sealed class LearnedBodyLimit
{
    /// <summary>How long a learned limit holds before it starts to relax.</summary>
    public static readonly TimeSpan HoldAfterRefusal = TimeSpan.FromMinutes(1);

    private readonly int _maxBatchBytes;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private int _bytes;
    private DateTimeOffset _lastRefusal;

    public LearnedBodyLimit(int maxBatchBytes, TimeProvider time)
    {
        _maxBatchBytes = maxBatchBytes;
        _bytes = maxBatchBytes;
        _time = time;
    }

    /// <summary>The largest body to send now.</summary>
    public int Bytes => Volatile.Read(ref _bytes);

    /// <summary>A body of <paramref name="bodyBytes"/> was refused with 413.</summary>
    public void OnRefused(int bodyBytes)
    {
        lock (_gate)
        {
            _bytes = Math.Max(1, Math.Min(_bytes, bodyBytes / 2));
            _lastRefusal = _time.GetUtcNow();
        }
    }

    /// <summary>A body was accepted: once the hold is over, the limit relaxes a step.</summary>
    public void OnAccepted()
    {
        if (Bytes >= _maxBatchBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_time.GetUtcNow() - _lastRefusal >= HoldAfterRefusal)
            {
                _bytes = (int)Math.Min(_maxBatchBytes, _bytes + Math.Max(1L, _bytes / 8L));
            }
        }
    }
}
