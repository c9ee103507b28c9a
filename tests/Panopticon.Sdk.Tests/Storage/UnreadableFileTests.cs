using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Tests.Storage;

/// <summary>Issue test 4: a corrupt, a truncated and a badly named file are moved aside and counted; the others are sent.</summary>
public sealed class UnreadableFileTests : IDisposable
{
    private readonly BufferFixture _buffer = new();

    [Fact]
    public async Task Corrupt_truncated_and_badly_named_files_are_moved_aside_counted_and_reported_and_the_others_are_sent()
    {
        var good = new List<Guid>();
        using (var earlier = _buffer.Store())
        {
            for (var i = 0; i < 5; i++)
            {
                var batch = _buffer.Batch(records: 4, text: $"batch {i}");
                await earlier.AddAsync(batch, default);
                good.Add(batch.Id);
                _buffer.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var files = _buffer.BatchFiles();
        var corrupt = files[1];
        var truncated = files[2];
        var badRecordEnds = files[3];
        Overwrite(corrupt, offset: 0, "XXXX"u8); // not a batch file at all
        using (var stream = File.OpenWrite(PathOf(truncated)))
        {
            stream.SetLength(stream.Length - 10); // cut short, as by a crash in the middle of a copy
        }

        Overwrite(badRecordEnds, offset: BatchFileFormat.HeaderSize, [1, 0, 0, 0]); // a record boundary inside a record
        File.WriteAllText(PathOf("notes.batch"), "someone's file");
        File.WriteAllText(PathOf("1234-not-a-guid-either.batch"), "[]");
        good.RemoveRange(1, 3);

        using var store = _buffer.Store();
        var sent = new List<Guid>();
        for (var i = 0; i < good.Count; i++)
        {
            var batch = await BufferFixture.TakeAsync(store);
            sent.Add(batch.Id);
            store.Complete(batch);
        }

        Assert.Equal(good, sent);
        Assert.True(await BufferFixture.HasNothingAsync(store));
        Assert.Equal(
            new[] { "1234-not-a-guid-either.batch", corrupt, badRecordEnds, truncated, "notes.batch" }.Select(WithoutOwner).Order(),
            _buffer.AsideFiles().Select(WithoutOwner).Order()); // moved, not deleted
        Assert.Equal(5, _buffer.Reporter.MovedAside);
        Assert.Equal(5, _buffer.Log.Warnings.Count); // once each, never again
        Assert.All(_buffer.Log.Lines, line => Assert.Equal(ExportHealthReporter.Category, line.Category));
        Assert.Contains(_buffer.Log.Warnings, w => w.Contains("truncated", StringComparison.Ordinal));
        Assert.Empty(_buffer.BatchFiles());

        _buffer.Time.Advance(FileBatchStore.ScanInterval);
        Assert.True(await BufferFixture.HasNothingAsync(store));
        Assert.Equal(5, _buffer.Log.Warnings.Count);
    }

    public void Dispose() => _buffer.Dispose();

    private string PathOf(string name) => Path.Combine(_buffer.Directory, name);

    private void Overwrite(string name, int offset, ReadOnlySpan<byte> bytes)
    {
        using var stream = File.OpenWrite(PathOf(name));
        stream.Position = offset;
        stream.Write(bytes);
    }

    // A batch file is renamed to the store that adopts it before its body is read: the time and batch id stay.
    private static string WithoutOwner(string name) => BatchFileName.TryParse(name, out var parsed) ? $"{parsed.Value.CreatedTicks}-{parsed.Value.BatchId}" : name;
}
