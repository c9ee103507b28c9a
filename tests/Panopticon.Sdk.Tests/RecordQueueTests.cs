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
        // A writer can pass the closed check just before the loop seals the queue, and enqueue just after its last
        // drain: the record must still be dropped and counted, not left behind as pending forever.
        for (var round = 0; round < 200; round++)
        {
            var released = 0;
            var (queue, counters) = NewQueue(1_000, PanopticonOverflowPolicy.DropOldest, _ => Interlocked.Increment(ref released));
            using var go = new ManualResetEventSlim();
            var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
            {
                go.Wait();
                for (var i = 0; i < 200; i++)
                {
                    queue.TryEnqueue(new Box(i));
                }
            })).ToArray();

            go.Set();
            queue.Seal();
            await Task.WhenAll(writers);

            Assert.Equal(0, queue.Count);
            Assert.Equal(400, counters.Accepted);
            Assert.Equal(400, counters.DroppedFor(DropReason.Shutdown));
            Assert.Equal(0, counters.Pending);
            Assert.Equal(400, released);
        }
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
