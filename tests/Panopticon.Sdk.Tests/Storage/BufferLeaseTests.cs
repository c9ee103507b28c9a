using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Tests.Storage;

/// <summary>
/// Several stores on one directory (as scaled-out processes on one host, or a restart overlapping the old process):
/// a store sends only its own batches while their writer lives, and the batches of an ended one exactly once.
/// </summary>
public sealed class BufferLeaseTests : IDisposable
{
    private readonly BufferFixture _buffer = new();

    [Fact]
    public async Task Two_live_stores_on_one_directory_each_send_only_their_own_batches_and_adopt_the_others_once_it_ends()
    {
        var first = _buffer.Store();
        using var second = _buffer.Store();
        var firstIds = new List<Guid>();
        var secondIds = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var a = _buffer.Batch(text: "first");
            var b = _buffer.Batch(text: "second");
            firstIds.Add(a.Id);
            secondIds.Add(b.Id);
            await first.AddAsync(a, default);
            await second.AddAsync(b, default);
            _buffer.Time.Advance(TimeSpan.FromMilliseconds(1)); // leftovers are ordered by their creation time
        }

        Assert.Equal(secondIds, await BufferFixture.SendAsync(second, 4));
        _buffer.Time.Advance(FileBatchStore.ScanInterval); // a scan while the first store lives adopts nothing
        Assert.True(await BufferFixture.HasNothingAsync(second));

        var sentByFirst = await BufferFixture.SendAsync(first, 1); // the first store sends one, then ends with three unsent and one leased
        Assert.Equal(firstIds.Take(1), sentByFirst);
        var leased = await BufferFixture.TakeAsync(first);
        first.Dispose();

        _buffer.Time.Advance(FileBatchStore.ScanInterval);
        Assert.Equal(firstIds.Skip(1), await BufferFixture.SendAsync(second, 3)); // the leased one too: its outcome never came
        Assert.Equal(firstIds[1], leased.Id);
        Assert.True(await BufferFixture.HasNothingAsync(second));
        Assert.Empty(_buffer.BatchFiles());
    }

    [Theory]
    [InlineData(true)] // killed: its owner file is left behind, unlocked (the kernel released the lock with the process)
    [InlineData(false)] // ended cleanly: no owner file, so the stores race on renaming each batch
    public async Task Stores_adopting_the_leftovers_of_an_ended_process_at_the_same_time_send_each_batch_once(bool killed)
    {
        var leftovers = new List<Guid>();
        Guid killedOwner;
        using (var ended = _buffer.Store())
        {
            for (var i = 0; i < 60; i++)
            {
                var batch = _buffer.Batch(records: 2);
                leftovers.Add(batch.Id);
                await ended.AddAsync(batch, default);
            }

            killedOwner = OwnerOf(_buffer.BatchFiles()[0]);
        }

        if (killed)
        {
            File.WriteAllText(Path.Combine(_buffer.Directory, killedOwner.ToString("N") + ".owner"), "");
        }

        var stores = Enumerable.Range(0, 3).Select(_ => _buffer.Store()).ToList();
        var taken = await Task.WhenAll(stores.Select(store => Task.Run(() => DrainAsync(store))));
        stores.ForEach(store => store.Dispose());

        Assert.Equal(leftovers.Order(), taken.SelectMany(ids => ids).Order()); // each once, none twice
        Assert.Equal(120, _buffer.Recovered);
        Assert.Empty(_buffer.BatchFiles());
        Assert.False(File.Exists(Path.Combine(_buffer.Directory, killedOwner.ToString("N") + ".owner")));
    }

    [Fact]
    public async Task The_lock_file_of_a_killed_process_is_removed_and_those_of_live_ones_are_kept()
    {
        using var live = _buffer.Store();
        var killed = Path.Combine(_buffer.Directory, Guid.NewGuid().ToString("N") + ".owner");
        File.WriteAllText(killed, ""); // left by a process killed with no batch on disk

        using var store = _buffer.Store();
        Assert.True(await BufferFixture.HasNothingAsync(store)); // its first take looks through the directory

        Assert.False(File.Exists(killed));
        Assert.Equal(2, Directory.GetFiles(_buffer.Directory, "*.owner").Length);
    }

    public void Dispose() => _buffer.Dispose();

    private static Guid OwnerOf(string fileName) => BatchFileName.TryParse(fileName, out var name) ? name.Value.Owner : Guid.Empty;

    private static async Task<List<Guid>> DrainAsync(IBatchStore store)
    {
        var ids = new List<Guid>();
        while (true)
        {
            using var quiet = new CancellationTokenSource(500);
            try
            {
                var batch = await store.TakeAsync(quiet.Token);
                ids.Add(batch.Id);
                store.Complete(batch);
            }
            catch (OperationCanceledException)
            {
                return ids;
            }
        }
    }
}
