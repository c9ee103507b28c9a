using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Tests;

/// <summary>A pooled record is handed out to one renter at a time, reset, and never to two threads at once.</summary>
public sealed class RecordPoolTests
{
    private static RecordPool<LogRecord> NewPool() => new(() => new LogRecord(pooled: true));

    // A thread's spare slot is shared by every pool of a record type, so a test thread may still hold a record another
    // test's pool left there: tests of what a thread keeps run on a thread of their own.
    private static void OnFreshThread(Action test)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                test();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    [Fact]
    public void A_returned_record_comes_back_reset()
    {
        var pool = NewPool();
        var record = pool.Rent();
        record.Message = "secret-free message";
        record.Category = "Orders";
        record.Values.Add(new("OrderId", 42));
        record.HttpMethod = "GET";

        pool.Return(record);
        var again = pool.Rent();

        Assert.Same(record, again);
        Assert.Null(again.Message);
        Assert.Equal(string.Empty, again.Category);
        Assert.False(again.HasValues);
        Assert.Null(again.HttpMethod);
    }

    [Fact]
    public void Records_rented_together_are_distinct_after_any_sequence_of_returns()
    {
        var pool = NewPool();
        var first = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        first.ForEach(pool.Return);

        var second = Enumerable.Range(0, 20).Select(_ => pool.Rent()).ToList();

        Assert.Equal(second.Count, second.Distinct().Count());
        Assert.Equal(10, second.Count(first.Contains)); // all ten reused (one from this thread's spare), ten new
    }

    [Fact]
    public void A_thread_keeps_its_spare_to_itself() => OnFreshThread(() =>
    {
        var pool = NewPool();
        var kept = pool.Rent();
        var shared = pool.Rent();
        pool.Return(kept);   // this thread's spare
        pool.Return(shared); // the shared queue

        (LogRecord First, LogRecord Second) elsewhere = default;
        OnFreshThread(() => elsewhere = (pool.Rent(), pool.Rent()));

        Assert.Same(shared, elsewhere.First);
        Assert.NotSame(kept, elsewhere.Second);
        Assert.Same(kept, pool.Rent());
    });

    [Fact]
    public void A_pool_never_rents_the_spare_another_pool_left_on_the_thread() => OnFreshThread(() =>
    {
        // Two clients' pools of the same record type on one thread share the thread's spare slot.
        var first = NewPool();
        var second = NewPool();
        var record = first.Rent();
        first.Return(record); // first's spare

        var fromSecond = second.Rent();

        Assert.NotSame(record, fromSecond);
        Assert.Same(record, first.Rent());
    });

    [Fact]
    public void A_spare_left_by_a_pool_no_longer_used_does_not_keep_the_thread_from_another_pool() => OnFreshThread(() =>
    {
        var gone = NewPool();
        gone.Return(gone.Rent()); // e.g. a disposed client's last record, on this thread
        var pool = NewPool();
        var kept = pool.Rent();

        pool.Return(kept); // this thread's spare, not the shared queue

        LogRecord? elsewhere = null;
        OnFreshThread(() => elsewhere = pool.Rent());
        Assert.NotSame(kept, elsewhere);
        Assert.Same(kept, pool.Rent());
    });

    [Fact]
    public void Records_not_from_a_pool_are_not_taken()
    {
        var pool = NewPool();
        var outsider = new LogRecord { Message = "drop report" };

        pool.Return(outsider);

        Assert.Equal("drop report", outsider.Message);
        Assert.NotSame(outsider, pool.Rent());
    }

    [Fact]
    public async Task Under_concurrent_rent_and_return_no_record_is_held_by_two_renters()
    {
        var pool = NewPool();
        var holders = new System.Collections.Concurrent.ConcurrentDictionary<LogRecord, int>(ReferenceEqualityComparer.Instance);
        var clashes = 0;

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
            () =>
            {
                var held = new List<LogRecord>();
                for (var i = 0; i < 50_000; i++)
                {
                    var record = pool.Rent();
                    if (!holders.TryAdd(record, Environment.CurrentManagedThreadId))
                    {
                        Interlocked.Increment(ref clashes);
                    }

                    held.Add(record);
                    if (held.Count == 3 || i % 7 == 0)
                    {
                        // Give back in an order unlike the renting one, as the engine does (drops, batches).
                        foreach (var back in held)
                        {
                            holders.TryRemove(back, out var _);
                            pool.Return(back);
                        }

                        held.Clear();
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(0, clashes);
    }
}
