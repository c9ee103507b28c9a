using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Sampling;

/// <summary>
/// A trace that was not sampled, as this process sees it from its local root span's start: whether anything in it
/// failed, and its ended spans and log lines, held until the local root ends. Lives on the local root
/// <see cref="System.Diagnostics.Activity"/> (a custom property), so a late span or log line of the trace still finds
/// what became of it. A sampled trace has none: its records are sent as they end.
/// </summary>
/// <remarks>
/// Small: the held records' list exists only once a record is held, and the lock is the object itself (an internal
/// type nothing else locks).
/// </remarks>
internal sealed class LocalTrace(TraceSampling owner)
{
    private List<IPooledRecord>? _held; // guarded by lock (this), with _outcome
    private volatile bool _failed;
    private TraceOutcome _outcome;

    /// <summary>The client's sampling that decided this trace (two clients may track the same activities).</summary>
    public TraceSampling Owner { get; } = owner;

    /// <summary>A span ended with ERROR status (or a server span with status 500 or more), or an error was logged.</summary>
    public bool Failed => _failed;

    /// <summary>What became of the trace's held records; <see cref="TraceOutcome.Holding"/> until then.</summary>
    public TraceOutcome Outcome
    {
        get
        {
            lock (this)
            {
                return _outcome;
            }
        }
    }

    // The pending traces' list, oldest first; guarded by PendingTraces' lock.
    internal LocalTrace? Older { get; set; }

    internal LocalTrace? Newer { get; set; }

    internal bool IsPending { get; set; }

    public void MarkFailed() => _failed = true;

    /// <summary>Holds a span or log record while the trace is undecided; <see langword="false"/> once it is decided.</summary>
    public bool TryHold(IPooledRecord record)
    {
        lock (this)
        {
            if (_outcome != TraceOutcome.Holding)
            {
                return false;
            }

            (_held ??= new List<IPooledRecord>(4)).Add(record);
            return true;
        }
    }

    /// <summary>
    /// Decides the trace, once: hands over what it held, in the order held (for the caller to send or drop), and holds
    /// nothing more. <see langword="false"/> if it was decided already.
    /// </summary>
    public bool TryDecide(TraceOutcome outcome, out List<IPooledRecord>? held)
    {
        lock (this)
        {
            held = _held;
            if (_outcome != TraceOutcome.Holding)
            {
                return false;
            }

            _outcome = outcome;
            _held = null;
            return true;
        }
    }
}

/// <summary>What became of a trace that was not sampled.</summary>
internal enum TraceOutcome
{
    /// <summary>Its local root has not ended: its records are held.</summary>
    Holding,

    /// <summary>Something in it failed: sent whole.</summary>
    Kept,

    /// <summary>Nothing failed: dropped, counted as <c>sampled_out</c>.</summary>
    SampledOut,

    /// <summary>Pushed out of memory by newer traces (<see cref="PanopticonOptions.MaxPendingTraces"/>): dropped.</summary>
    Evicted,
}
