using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;

namespace Panopticon.Producer.Ingest;

/// <summary>
/// The test switch that makes every Nth ingest request fail with 503 before anything is stored, so retrying
/// clients can be checked for exactly-once delivery. Starts from configuration; tests may change it at runtime.
/// </summary>
internal sealed class FaultInjector(IOptions<ProducerOptions> options)
{
    private int _failEveryNth = options.Value.FaultInjection.FailEveryNth;
    private long _requests;
    private long _failed;

    /// <summary>0 turns the switch off. Setting it restarts the count.</summary>
    public int FailEveryNth
    {
        get => Volatile.Read(ref _failEveryNth);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Interlocked.Exchange(ref _requests, 0);
            Volatile.Write(ref _failEveryNth, value);
        }
    }

    /// <summary>Requests failed on purpose so far.</summary>
    public long FailedRequests => Interlocked.Read(ref _failed);

    /// <summary>Counts one ingest request; true when this one must fail.</summary>
    public bool ShouldFail()
    {
        var n = FailEveryNth;
        if (n <= 0 || Interlocked.Increment(ref _requests) % n != 0)
        {
            return false;
        }

        Interlocked.Increment(ref _failed);
        return true;
    }
}
