using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Storage;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests.Storage;

/// <summary>A fresh buffer directory, a fake clock, the application's log and the counts a store reports.</summary>
internal sealed class BufferFixture : IDisposable, IBufferAccounting
{
    private readonly ConcurrentDictionary<DropReason, long> _dropped = new();
    private long _recovered;

    public BufferFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "panopticon-buffer-tests", Guid.NewGuid().ToString("N"));
        Reporter = new BufferReporter(() => Log);
    }

    public string Root { get; }

    public string Directory => Path.Combine(Root, "logs");

    public FakeTimeProvider Time { get; } = new(Records.Noon);

    public CapturedLog Log { get; } = new();

    public BufferReporter Reporter { get; }

    public ConcurrentBag<Guid> DroppedBatches { get; } = [];

    public long Recovered => Interlocked.Read(ref _recovered);

    public long Dropped(DropReason reason) => _dropped.GetValueOrDefault(reason);

    public FileBatchStore Store(long maxBytes = 50 * 1024 * 1024, TimeSpan? retention = null, string? directory = null, int cacheBytes = FileBatchStore.CacheBytes) =>
        new(new BufferFolder(directory ?? Directory, TelemetrySignal.Logs), new BufferCaps(maxBytes, retention ?? TimeSpan.FromHours(48)), Time, Reporter, this, cacheBytes);

    /// <summary>A batch of <paramref name="records"/> small log records created now (on the fake clock).</summary>
    public SerializedBatch Batch(int records = 3, string text = "line")
    {
        var json = new StringBuilder("[");
        var ends = new int[records];
        for (var i = 0; i < records; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("{\"message\":\"").Append(text).Append(' ').Append(i).Append("\"}");
            ends[i] = json.Length;
        }

        return new SerializedBatch(Guid.NewGuid(), TelemetrySignal.Logs, Time.GetUtcNow(), Encoding.UTF8.GetBytes(json.Append(']').ToString()), ends);
    }

    public string[] BatchFiles(string? directory = null) =>
        System.IO.Directory.GetFiles(directory ?? Directory, "*.batch").Select(f => Path.GetFileName(f)).Order().ToArray();

    public string[] AsideFiles() =>
        System.IO.Directory.Exists(Path.Combine(Directory, BufferFolder.AsideFolder))
            ? System.IO.Directory.GetFiles(Path.Combine(Directory, BufferFolder.AsideFolder)).Select(f => Path.GetFileName(f)).Order().ToArray()
            : [];

    /// <summary>Bytes of every file directly in the directory (batches, temporary files, owner locks).</summary>
    public long DirectoryBytes() => new DirectoryInfo(Directory).GetFiles().Sum(f => f.Length);

    /// <summary>Takes a batch, or fails after <paramref name="seconds"/> of real time.</summary>
    public static async Task<SerializedBatch> TakeAsync(IBatchStore store, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        return await store.TakeAsync(timeout.Token);
    }

    /// <summary>Takes <paramref name="count"/> batches, completing each as a sender would; returns their ids in order.</summary>
    public static async Task<List<Guid>> SendAsync(IBatchStore store, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var batch = await TakeAsync(store);
            ids.Add(batch.Id);
            store.Complete(batch);
        }

        return ids;
    }

    /// <summary>Whether the store has nothing to give within <paramref name="milliseconds"/> of real time.</summary>
    public static async Task<bool> HasNothingAsync(IBatchStore store, int milliseconds = 300)
    {
        using var timeout = new CancellationTokenSource(milliseconds);
        try
        {
            await store.TakeAsync(timeout.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    void IBufferAccounting.OnRecovered(long records) => Interlocked.Add(ref _recovered, records);

    void IBufferAccounting.OnDropped(DropReason reason, Guid batchId, int records)
    {
        _dropped.AddOrUpdate(reason, records, (_, n) => n + records);
        DroppedBatches.Add(batchId);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
