using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Tests.Storage;

/// <summary>
/// Issue test 5: a directory that cannot be written (tests run as root, so a path under a regular file stands in for a
/// read-only one) leaves the store working in memory, with one WARN and a counter, never an exception.
/// </summary>
public sealed class MemoryFallbackTests : IDisposable
{
    private readonly BufferFixture _buffer = new();

    [Fact]
    public async Task An_unwritable_directory_keeps_batches_in_memory_with_one_warning_and_a_count()
    {
        Directory.CreateDirectory(_buffer.Root);
        var file = Path.Combine(_buffer.Root, "a-file");
        File.WriteAllText(file, "not a directory");
        using var store = _buffer.Store(directory: Path.Combine(file, "buffer"));

        var batches = Enumerable.Range(0, 5).Select(i => _buffer.Batch(text: $"memory {i}")).ToList();
        foreach (var batch in batches)
        {
            await store.AddAsync(batch, default);
        }

        _buffer.Time.Advance(FileBatchStore.DiskRetryInterval); // no retry storm either: the directory is never usable
        await store.AddAsync(_buffer.Batch(), default);
        var taken = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var batch = await BufferFixture.TakeAsync(store);
            taken.Add(batch.Id);
            store.Complete(batch);
        }

        Assert.Equal(batches.Select(b => b.Id), taken.Take(5));
        var warning = Assert.Single(_buffer.Log.Warnings);
        Assert.Contains("cannot be written", warning, StringComparison.Ordinal);
        Assert.Equal(ExportHealthReporter.Category, Assert.Single(_buffer.Log.Lines).Category);
        Assert.Equal(6, _buffer.Reporter.MemoryFallbacks);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_directory_that_fails_while_running_falls_back_once_and_the_disk_is_tried_again_a_minute_later()
    {
        using var store = _buffer.Store();
        await store.AddAsync(_buffer.Batch(), default);
        Directory.Delete(_buffer.Directory, recursive: true);
        File.WriteAllText(_buffer.Directory, "the directory became a file"); // every write fails from now on

        await store.AddAsync(_buffer.Batch(), default);
        await store.AddAsync(_buffer.Batch(), default);
        Assert.Single(_buffer.Log.Warnings);
        Assert.Equal(2, _buffer.Reporter.MemoryFallbacks);

        File.Delete(_buffer.Directory);
        _buffer.Time.Advance(FileBatchStore.DiskRetryInterval);
        await store.AddAsync(_buffer.Batch(), default);

        Assert.Single(_buffer.BatchFiles()); // the disk works again: written, recreated
        Assert.Equal(2, _buffer.Reporter.MemoryFallbacks);
        Assert.Single(_buffer.Log.Warnings);
        Assert.Equal(4, store.Count);
    }

    [Fact]
    public async Task A_directory_unusable_at_start_is_tried_again_a_minute_later_and_used_once_it_works()
    {
        Directory.CreateDirectory(_buffer.Root);
        File.WriteAllText(_buffer.Directory, "in the way"); // the directory cannot be made
        using var store = _buffer.Store();
        await store.AddAsync(_buffer.Batch(), default);
        File.Delete(_buffer.Directory);

        _buffer.Time.Advance(TimeSpan.FromSeconds(30));
        await store.AddAsync(_buffer.Batch(), default);
        Assert.False(Directory.Exists(_buffer.Directory)); // not before the minute is over

        _buffer.Time.Advance(TimeSpan.FromSeconds(30));
        await store.AddAsync(_buffer.Batch(), default);

        Assert.Single(_buffer.BatchFiles());
        Assert.Equal((2, 3), (_buffer.Reporter.MemoryFallbacks, store.Count));
        Assert.Single(_buffer.Log.Warnings);
    }

    [Fact]
    public async Task What_only_memory_held_is_counted_as_dropped_at_shutdown()
    {
        Directory.CreateDirectory(_buffer.Root);
        var file = Path.Combine(_buffer.Root, "a-file");
        File.WriteAllText(file, "not a directory");
        var store = _buffer.Store(directory: Path.Combine(file, "buffer"));
        await store.AddAsync(_buffer.Batch(records: 7), default);

        store.Dispose();

        Assert.Equal(7, _buffer.Dropped(DropReason.Shutdown));
    }

    public void Dispose() => _buffer.Dispose();
}
