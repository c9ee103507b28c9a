namespace Panopticon.Sdk.Transport;

/// <summary>
/// Holds a signal's batches while the Producer is unreachable or failing everything, instead of spending their
/// retries: once a batch fails with nothing accepted since its previous attempt, the circuit opens, every batch waits,
/// and one batch at a time probes at growing intervals (1 s doubling to 30 s, or the server's <c>Retry-After</c>).
/// The first accepted batch closes it and releases the others. Probers take turns, so a batch that fails for its own
/// reasons cannot keep the circuit open by itself.
/// </summary>
internal sealed class ExportCircuit : IDisposable
{
    private static readonly TimeSpan FirstProbeDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxProbeDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly LinkedList<TaskCompletionSource<bool>> _waiters = new(); // batches waiting for their turn, oldest first
    private ITimer? _probeTimer;
    private bool _open;
    private bool _probing;   // a released prober has not reported back yet
    private bool _probeDue;  // the probe time came with nobody waiting: the next batch probes at once
    private TimeSpan _probeDelay;
    private DateTimeOffset _probeAt;

    public ExportCircuit(TimeProvider time) => _time = time;

    /// <summary>
    /// Completes at once while the circuit is closed; while it is open, when this batch may probe or the circuit
    /// closes. Returns <see langword="true"/> when the caller is the probe: it must report how the attempt ended.
    /// </summary>
    public async ValueTask<bool> WaitForTurnAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource<bool>> node;
        lock (_gate)
        {
            if (!_open)
            {
                return false;
            }

            if (_probeDue && !_probing)
            {
                _probeDue = false;
                _probing = true;
                return true;
            }

            node = _waiters.AddLast(new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        using (cancellationToken.Register(() => Leave(node, cancellationToken)))
        {
            return await node.Value.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The Producer answered something that is not an outage (it accepted a batch, or refused one with 400, 401 or
    /// 413): it is reachable, so every held batch goes.
    /// </summary>
    public void OnAnswered() => Close();

    /// <summary>
    /// An outage failure: opens the circuit, or (for the probe) schedules the next probe further away. A
    /// <paramref name="retryAfter"/> from the server is honoured (up to five minutes).
    /// </summary>
    public void OnOutage(bool wasProbe, TimeSpan? retryAfter)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_open)
            {
                _open = true;
                _probeDelay = FirstProbeDelay;
                _probeAt = now + _probeDelay;
            }
            else if (wasProbe)
            {
                _probing = false;
                _probeDelay = TimeSpan.FromTicks(Math.Min(_probeDelay.Ticks * 2, MaxProbeDelay.Ticks));
                _probeAt = now + _probeDelay;
            }

            if (retryAfter is { } wait && now + Min(wait, MaxRetryAfter) > _probeAt)
            {
                _probeAt = now + Min(wait, MaxRetryAfter);
            }

            _probeDue = false;
            ScheduleProbe(now);
        }
    }

    /// <summary>The probe ended without an answer (cancelled by shutdown): another batch may probe when due.</summary>
    public void OnProbeAbandoned()
    {
        lock (_gate)
        {
            if (_open && _probing)
            {
                _probing = false;
                ScheduleProbe(_time.GetUtcNow());
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _probeTimer?.Dispose();
            _probeTimer = null;
        }
    }

    private void Close()
    {
        List<TaskCompletionSource<bool>> released;
        lock (_gate)
        {
            if (!_open)
            {
                return;
            }

            _open = false;
            _probing = false;
            _probeDue = false;
            _probeTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            released = [.. _waiters];
            _waiters.Clear();
        }

        released.ForEach(turn => turn.TrySetResult(false));
    }

    private void ScheduleProbe(DateTimeOffset now)
    {
        var due = _probeAt - now;
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        if (_probeTimer is null)
        {
            _probeTimer = _time.CreateTimer(_ => ReleaseProbe(), null, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _probeTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void ReleaseProbe()
    {
        TaskCompletionSource<bool>? prober = null;
        lock (_gate)
        {
            if (!_open || _probing)
            {
                return;
            }

            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                _probing = true;
                prober = first.Value;
            }
            else
            {
                _probeDue = true;
            }
        }

        prober?.TrySetResult(true);
    }

    // A waiter cancelled before its turn leaves the line; one released as the probe just before is the caller's to report.
    private void Leave(LinkedListNode<TaskCompletionSource<bool>> node, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (node.List is not null)
            {
                _waiters.Remove(node);
            }
        }

        node.Value.TrySetCanceled(cancellationToken);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
