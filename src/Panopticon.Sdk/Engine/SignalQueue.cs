using System.Threading.Channels;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// The bounded, non-blocking queue between the application's threads and the export loop of one signal.
/// A full queue drops by policy and counts the drop; a closed queue drops and counts everything offered.
/// </summary>
internal sealed class SignalQueue<T>
{
    private readonly Channel<T> _channel;
    private readonly SignalCounters _counters;
    private volatile bool _closed;

    public SignalQueue(int capacity, PanopticonOverflowPolicy policy, SignalCounters counters)
    {
        _counters = counters;
        _channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = policy == PanopticonOverflowPolicy.DropNewest ? BoundedChannelFullMode.DropWrite : BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false, // never run the export loop on the caller's thread
            },
            _ => counters.OnDropped(DropReason.QueueFull));
    }

    public ChannelReader<T> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

    /// <summary>Offers a record; never blocks, never throws. Returns <see langword="false"/> once the queue is closed.</summary>
    public bool TryEnqueue(T item)
    {
        _counters.OnAccepted();
        if (_closed)
        {
            _counters.OnDropped(DropReason.Shutdown);
            return false;
        }

        _channel.Writer.TryWrite(item);
        return true;
    }

    /// <summary>Refuses new records; those already queued stay readable.</summary>
    public void Close() => _closed = true;
}
