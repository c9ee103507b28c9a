using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Tests.Storage;

/// <summary>A batch is on disk from the moment it is added until its outcome; what a store leaves is sent after a restart.</summary>
public sealed class WriteAheadTests : IDisposable
{
    private readonly BufferFixture _buffer = new();

    [Fact]
    public async Task A_batch_is_on_disk_before_it_is_taken_and_gone_once_complete()
    {
        using var store = _buffer.Store();
        var batch = _buffer.Batch(records: 3);

        await store.AddAsync(batch, default);

        Assert.Single(_buffer.BatchFiles());
        Assert.Equal((1, _buffer.DirectoryBytes() - OwnerFiles()), (store.Count, store.Bytes));
        var taken = await BufferFixture.TakeAsync(store);
        Assert.Equal(batch.Id, taken.Id);
        Assert.Equal(batch.Json.ToArray(), taken.Json.ToArray());
        Assert.Equal(batch.RecordEnds, taken.RecordEnds);
        Assert.Single(_buffer.BatchFiles()); // still there while it is being sent

        store.Complete(taken);

        Assert.Empty(_buffer.BatchFiles());
        Assert.Equal((0, 0L), (store.Count, store.Bytes));
    }

    [Fact]
    public async Task While_few_batches_wait_they_are_sent_from_memory_and_beyond_that_read_back_from_disk()
    {
        using var store = _buffer.Store();
        var batches = new List<SerializedBatch>();
        for (var i = 0; i < FileBatchStore.CacheBatches + 2; i++)
        {
            batches.Add(_buffer.Batch(text: $"batch {i}"));
            await store.AddAsync(batches[^1], default);
            _buffer.Time.Advance(TimeSpan.FromMilliseconds(1)); // file names sort in the order they were added
        }

        foreach (var file in _buffer.BatchFiles().Skip(FileBatchStore.CacheBatches))
        {
            File.WriteAllText(Path.Combine(_buffer.Directory, file), "overwritten"); // only a read from disk can notice
        }

        Assert.Equal(batches.Take(FileBatchStore.CacheBatches).Select(b => b.Id), await BufferFixture.SendAsync(store, FileBatchStore.CacheBatches));
        Assert.True(await BufferFixture.HasNothingAsync(store));
        Assert.Equal(2, _buffer.AsideFiles().Length);
        Assert.Equal(6, _buffer.Dropped(DropReason.Unserializable));
    }

    [Fact]
    public async Task A_missing_directory_is_created()
    {
        var nested = Path.Combine(_buffer.Root, "not", "there", "yet");
        using var store = _buffer.Store(directory: nested);

        await store.AddAsync(_buffer.Batch(), default);

        Assert.Single(_buffer.BatchFiles(nested));
        Assert.Empty(_buffer.Log.Warnings);
    }

    [Fact]
    public async Task Leftovers_of_an_ended_store_are_taken_first_oldest_first_with_their_original_ids_and_bytes()
    {
        var earlier = new List<Seen>();
        using (var first = _buffer.Store())
        {
            for (var i = 0; i < 3; i++)
            {
                var batch = _buffer.Batch(records: 2, text: $"earlier {i}");
                earlier.Add(new(batch.Id, batch.Json.ToArray()));
                await first.AddAsync(batch, default);
                _buffer.Time.Advance(TimeSpan.FromSeconds(1));
            }

            var inFlight = await BufferFixture.TakeAsync(first);
            Assert.Equal(earlier[0].Id, inFlight.Id); // taken but never completed: the process ended while sending it
        }

        using var second = _buffer.Store();
        var fresh = _buffer.Batch(text: "after the restart");
        await second.AddAsync(fresh, default);

        var taken = new List<Seen>();
        for (var i = 0; i < 4; i++)
        {
            var batch = await BufferFixture.TakeAsync(second);
            taken.Add(new(batch.Id, batch.Json.ToArray()));
            second.Complete(batch);
        }

        Assert.Equal(earlier.Select(b => b.Id).Append(fresh.Id), taken.Select(b => b.Id));
        Assert.Equal(earlier.Select(b => b.Json), taken.Take(3).Select(b => b.Json));
        Assert.Equal(6, _buffer.Recovered); // the earlier process's records are counted in again, so they end as sent here
        Assert.Empty(_buffer.BatchFiles());
    }

    [Fact]
    public async Task A_store_never_throws_when_its_files_are_deleted_under_it()
    {
        using var store = _buffer.Store(cacheBytes: 0); // every batch is read back from its file
        await store.AddAsync(_buffer.Batch(), default);
        _buffer.Time.Advance(TimeSpan.FromSeconds(1));
        await store.AddAsync(_buffer.Batch(records: 4), default);
        File.Delete(Path.Combine(_buffer.Directory, _buffer.BatchFiles()[0]));

        var taken = await BufferFixture.TakeAsync(store);

        Assert.Equal(4, taken.RecordCount);
        Assert.Equal(3, _buffer.Dropped(DropReason.Unserializable)); // the vanished batch is counted, not lost silently
        store.Complete(taken);
        Assert.Equal(0, store.Count);
    }

    public void Dispose() => _buffer.Dispose();

    private long OwnerFiles() => new DirectoryInfo(_buffer.Directory).GetFiles("*.owner").Sum(f => f.Length);

    private sealed record Seen(Guid Id, byte[] Json);
}
