using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Pipeline;

namespace Panopticon.Sdk.Tests;

/// <summary>
/// The queue keeps its own counts and the signal's statistics read them, so these check the statistics and the length
/// together: every offered record is counted once and ends in exactly one place.
/// </summary>
public sealed class RecordQueueTests
{
    [Fact]
    public void Drop_oldest_keeps_the_newest_and_counts_each_offer_once()
    {
        var released = new List<int>();
        var (queue, counters) = NewQueue(3, PanopticonOverflowPolicy.DropOldest, box => released.Add(box.Value));

        for (var i = 1; i <= 5; i++)
        {
            Assert.True(queue.TryEnqueue(new Box(i)));
        }

        Assert.Equal(3, queue.Count);
        Assert.Equal(5, counters.Accepted);
        Assert.Equal(2, counters.DroppedFor(DropReason.QueueFull));
        Assert.Equal(3, counters.Pending);
        Assert.Equal([1, 2], released);
        Assert.Equal([3, 4, 5], DrainValues(queue));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Drop_newest_keeps_the_oldest_and_counts_each_offer_once()
    {
        var released = new List<int>();
        var (queue, counters) = NewQueue(3, PanopticonOverflowPolicy.DropNewest, box => released.Add(box.Value));

        for (var i = 1; i <= 5; i++)
        {
            Assert.True(queue.TryEnqueue(new Box(i)));
        }

        Assert.Equal(3, queue.Count);
        Assert.Equal(5, counters.Accepted);
        Assert.Equal(2, counters.DroppedFor(DropReason.QueueFull));
        Assert.Equal([4, 5], released);
        Assert.Equal([1, 2, 3], DrainValues(queue));

        // Room again: the queue takes new records after reads.
        Assert.True(queue.TryEnqueue(new Box(6)));
        Assert.Equal(1, queue.Count);
        Assert.Equal([6], DrainValues(queue));
    }

    [Fact]
    public void A_closed_queue_counts_the_offer_as_accepted_and_dropped_without_changing_its_length()
    {
        var released = new List<int>();
        var (queue, counters) = NewQueue(3, PanopticonOverflowPolicy.DropOldest, box => released.Add(box.Value));
        queue.TryEnqueue(new Box(1));
        queue.Close();

        Assert.False(queue.TryEnqueue(new Box(2)));

        Assert.Equal(1, queue.Count);
        Assert.Equal(2, counters.Accepted);
        Assert.Equal(1, counters.DroppedFor(DropReason.Shutdown));
        Assert.Equal(1, counters.Pending);
        Assert.Equal([2], released);
        Assert.Equal([1], DrainValues(queue));
    }

    [Fact]
    public void Records_accepted_outside_the_queue_do_not_change_its_length()
    {
        var (queue, counters) = NewQueue(3, PanopticonOverflowPolicy.DropOldest);
        queue.TryEnqueue(new Box(1));

        counters.OnAccepted(); // the drop report goes straight into a batch

        Assert.Equal(1, queue.Count);
        Assert.Equal(2, counters.Accepted);
    }

    [Fact]
    public async Task Concurrent_writers_over_capacity_lose_nothing_and_duplicate_nothing()
    {
        const int Writers = 4;
        const int PerWriter = 20_000;
        var seen = new int[Writers * PerWriter];
        var (queue, counters) = NewQueue(100, PanopticonOverflowPolicy.DropOldest, box => Interlocked.Increment(ref seen[box.Value]));
        var writing = Writers;

        var reader = Task.Run(() =>
        {
            while (Volatile.Read(ref writing) > 0 || queue.Count > 0)
            {
                if (queue.TryDequeue(out var box))
                {
                    Interlocked.Increment(ref seen[box.Value]);
                }
            }
        });
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                queue.TryEnqueue(new Box(w * PerWriter + i));
            }

            Interlocked.Decrement(ref writing);
        })).ToArray();
        await Task.WhenAll(writers);
        await reader;

        Assert.All(seen, count => Assert.Equal(1, count)); // each record read or evicted, exactly once
        Assert.Equal(0, queue.Count);
        Assert.Equal(Writers * PerWriter, counters.Accepted);
        Assert.Equal(counters.Accepted - counters.DroppedFor(DropReason.QueueFull), seen.Length - counters.Dropped);
    }

    [Fact]
    public async Task A_writer_racing_the_seal_never_leaves_a_record_counted_in_the_queue()
    {
        // A writer passes the closed check, then (here: while it hands the full queue's oldest record back to its
        // pool) the loop seals the queue and drains it for the last time; only then does the writer enqueue. The
        // record must still be dropped and counted, not left behind as pending forever.
        using var inWindow = new ManualResetEventSlim();
        using var sealedNow = new ManualResetEventSlim();
        var writerThread = -1;
        var (queue, counters) = NewQueue(2, PanopticonOverflowPolicy.DropOldest, _ =>
        {
            if (Environment.CurrentManagedThreadId == Volatile.Read(ref writerThread) && !inWindow.IsSet)
            {
                inWindow.Set();
                sealedNow.Wait(TimeSpan.FromSeconds(10));
            }
        });
        queue.TryEnqueue(new Box(1));
        queue.TryEnqueue(new Box(2));

        var writer = Task.Factory.StartNew(
            () =>
            {
                Volatile.Write(ref writerThread, Environment.CurrentManagedThreadId);
                return queue.TryEnqueue(new Box(3)); // full: evicts record 1, then enqueues record 3
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Assert.True(inWindow.Wait(TimeSpan.FromSeconds(10)), "the writer reached the window");
        Assert.Equal(1, queue.Seal()); // record 2; record 3 is not in the queue yet
        sealedNow.Set();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, queue.Count);
        Assert.Equal(3, counters.Accepted);
        Assert.Equal(1, counters.DroppedFor(DropReason.QueueFull));
        Assert.Equal(2, counters.DroppedFor(DropReason.Shutdown));
        Assert.Equal(0, counters.Pending);
        Assert.False(queue.TryDequeue(out _));
    }

    private static (RecordQueue<Box> Queue, SignalCounters Counters) NewQueue(int capacity, PanopticonOverflowPolicy policy, Action<Box>? release = null)
    {
        var queue = new RecordQueue<Box>(capacity, policy, release);
        return (queue, new SignalCounters { Queue = queue });
    }

    private static List<int> DrainValues(RecordQueue<Box> queue)
    {
        var values = new List<int>();
        while (queue.TryDequeue(out var box))
        {
            values.Add(box.Value);
        }

        return values;
    }

    private sealed record Box(int Value);
}
