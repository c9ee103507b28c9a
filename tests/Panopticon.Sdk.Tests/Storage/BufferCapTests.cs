using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Tests.Storage;

/// <summary>Issue test 6: beyond MaxBufferBytes or BufferRetention the oldest batches go, counted; the directory is never over the cap.</summary>
public sealed class BufferCapTests : IDisposable
{
    private readonly BufferFixture _buffer = new();

    [Fact]
    public async Task Beyond_the_cap_the_oldest_batches_are_dropped_as_buffer_full_and_the_directory_never_exceeds_it()
    {
        var size = BatchFileFormat.SizeOf(_buffer.Batch(records: 5));
        var cap = (3 * size) + (size / 2); // room for three and a half
        using var store = _buffer.Store(maxBytes: cap);
        using var watch = new DirectorySizeWatch(_buffer.Directory, _buffer.DirectoryBytes);

        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var batch = _buffer.Batch(records: 5);
            ids.Add(batch.Id);
            await store.AddAsync(batch, default);
            Assert.True(_buffer.DirectoryBytes() <= cap, $"{_buffer.DirectoryBytes()} bytes after batch {i}, cap {cap}");
            _buffer.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(35, _buffer.Dropped(DropReason.BufferFull)); // 7 batches of 5
        Assert.Equal(ids.Take(7).Order(), _buffer.DroppedBatches.Order()); // by id, so a flush waiting for them ends
        Assert.Equal((3, 3 * size), (store.Count, store.Bytes));
        Assert.Equal(ids.Skip(7), await BufferFixture.SendAsync(store, 3));
        Assert.True(watch.Largest <= cap, $"the directory held {watch.Largest} bytes at one point, cap {cap}");
    }

    [Fact]
    public async Task A_batch_larger_than_the_cap_alone_is_dropped_and_nothing_else()
    {
        var small = _buffer.Batch(records: 1);
        using var store = _buffer.Store(maxBytes: BatchFileFormat.SizeOf(small) * 2);
        await store.AddAsync(small, default);

        await store.AddAsync(_buffer.Batch(records: 50), default);

        Assert.Equal(50, _buffer.Dropped(DropReason.BufferFull));
        Assert.Equal(small.Id, (await BufferFixture.TakeAsync(store)).Id);
    }

    [Fact]
    public async Task Batches_older_than_the_retention_are_dropped_as_expired_also_after_a_restart()
    {
        using (var earlier = _buffer.Store(retention: TimeSpan.FromHours(48)))
        {
            await earlier.AddAsync(_buffer.Batch(records: 2), default);
        }

        _buffer.Time.Advance(TimeSpan.FromHours(47));
        using var store = _buffer.Store(retention: TimeSpan.FromHours(48));
        var young = _buffer.Batch(records: 3);
        await store.AddAsync(young, default);

        _buffer.Time.Advance(TimeSpan.FromHours(2)); // the leftover is 49 h old, the other 2 h

        var taken = await BufferFixture.TakeAsync(store);
        Assert.Equal(young.Id, taken.Id);
        Assert.Equal(2, _buffer.Dropped(DropReason.Expired));
        Assert.Equal(0, _buffer.Dropped(DropReason.BufferFull));
        Assert.Single(_buffer.BatchFiles()); // the expired file is deleted, the young one is being sent
    }

    public void Dispose() => _buffer.Dispose();

    /// <summary>Measures the directory on every change the file system reports, so a moment over the cap is seen too.</summary>
    private sealed class DirectorySizeWatch : IDisposable
    {
        private readonly FileSystemWatcher _watcher;
        private readonly Func<long> _measure;
        private long _largest;

        public DirectorySizeWatch(string directory, Func<long> measure)
        {
            _measure = measure;
            _watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.LastWrite };
            _watcher.Changed += (_, _) => Measure();
            _watcher.Created += (_, _) => Measure();
            _watcher.Renamed += (_, _) => Measure();
            _watcher.EnableRaisingEvents = true;
        }

        public long Largest => Interlocked.Read(ref _largest);

        public void Dispose() => _watcher.Dispose();

        private void Measure()
        {
            try
            {
                var size = _measure();
                long seen;
                while (size > (seen = Interlocked.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, size, seen) != seen)
                {
                }
            }
            catch (IOException)
            {
                // a file vanished while being measured
            }
        }
    }
}
