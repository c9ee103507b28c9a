using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>
/// The disk buffer of one signal (<c>BufferDirectory</c>): every batch is written to a file before its first send
/// attempt and deleted once it has its final outcome, so a killed process loses only what was not yet batched. On
/// start, and every <see cref="ScanInterval"/>, it adopts the batches of processes that have ended (their owner lock
/// released) and sends them first, oldest first, with their original batch id. It stays under its caps by dropping its
/// oldest batches, and when the directory cannot be written it keeps batches in memory and says so once.
/// </summary>
/// <remarks>
/// Called by the batch loop (<see cref="AddAsync"/>) and the sender loop (<see cref="TakeAsync"/>,
/// <see cref="Complete"/>); the index is shared under <see cref="_gate"/>, file I/O happens outside it.
/// </remarks>
internal sealed class FileBatchStore : IBatchStore
{
    /// <summary>How often the directory is looked through for batches of processes that have ended.</summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// JSON bytes of stored batches also kept in memory while at most <see cref="CacheBatches"/> wait, so a sender that
    /// keeps up never reads a file back; when more wait (an outage) they are only on disk and memory stays flat.
    /// </summary>
    public const int CacheBytes = 1024 * 1024;

    /// <summary>Waiting batches beyond which a new batch is kept on disk only.</summary>
    public const int CacheBatches = 4;

    /// <summary>How long batches go to memory after the directory failed a write, before the next try.</summary>
    public static readonly TimeSpan DiskRetryInterval = TimeSpan.FromMinutes(1);

    private readonly BufferFolder _folder;
    private readonly BufferCaps _caps;
    private readonly TimeProvider _time;
    private readonly BufferReporter _reporter;
    private readonly IBufferAccounting _accounting;
    private readonly object _gate = new();
    private readonly BatchIndex _index = new(); // under _gate
    private readonly SemaphoreSlim _added = new(0); // released per added batch; wakes TakeAsync
    private volatile BufferOwner? _owner; // set by the batch loop once the directory is usable; batches stay in memory until then
    private long _reserved; // under _gate: bytes being written, counted against the cap before the file exists
    private readonly int _cacheBytes;
    private long _cached; // under _gate: JSON bytes of the StoredBatch.Cached copies
    private DateTimeOffset _nextScan; // sender loop only
    private DateTimeOffset _diskRetryAt; // batch loop only: writes go to memory until then after a failure
    private bool _fallenBack; // batch loop only: the current memory episode has been reported

    public FileBatchStore(BufferFolder folder, BufferCaps caps, TimeProvider time, BufferReporter reporter, IBufferAccounting accounting, int cacheBytes = CacheBytes)
    {
        _cacheBytes = cacheBytes;
        _folder = folder;
        _caps = caps;
        _time = time;
        _reporter = reporter;
        _accounting = accounting;
        _nextScan = time.GetUtcNow(); // leftovers are adopted before the first batch is taken
        TryOpen(_nextScan);
    }

    /// <summary>Batches are kept on disk for the next start; those the disk could not take are counted when the store is disposed.</summary>
    public bool IsDurable => true;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _index.Bytes;
            }
        }
    }

    /// <summary>Never waits: makes room by dropping the oldest batches (<c>buffer_full</c>), and drops expired ones.</summary>
    public ValueTask AddAsync(SerializedBatch batch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var size = BatchFileFormat.SizeOf(batch);
        var owner = _owner ?? (now >= _diskRetryAt && TryOpen(now) ? _owner : null);
        var name = new BatchFileName(batch.CreatedAt.UtcTicks, batch.Id, owner?.Id ?? Guid.Empty);
        if (!_caps.Fits(0, size))
        {
            _accounting.OnDropped(DropReason.BufferFull, batch.Id, batch.RecordCount); // alone larger than the cap
            return ValueTask.CompletedTask;
        }

        List<(StoredBatch Batch, DropReason Reason)> dropped = [];
        bool fits;
        lock (_gate)
        {
            TakeExpired(now, dropped);
            while (!_caps.Fits(_index.Bytes + _reserved, size) && _index.OldestWaiting is { } oldest)
            {
                _index.RemoveWaiting(oldest);
                Uncache(oldest);
                dropped.Add((oldest, DropReason.BufferFull));
            }

            fits = _caps.Fits(_index.Bytes + _reserved, size);
            _reserved += fits ? size : 0;
        }

        Forget(dropped);
        if (!fits)
        {
            _accounting.OnDropped(DropReason.BufferFull, batch.Id, batch.RecordCount); // the rest of the cap is taken by batches being sent
            return ValueTask.CompletedTask;
        }

        var stored = owner is not null && now >= _diskRetryAt ? WriteOrKeep(name, batch, size, now) : Keep(name, batch, size);
        lock (_gate)
        {
            _reserved -= size;
            if (stored.InMemory is null && _index.Waiting < CacheBatches && _cached + batch.Json.Length <= _cacheBytes)
            {
                stored.Cached = Copy(batch);
                _cached += batch.Json.Length;
            }

            _index.Add(stored);
        }

        _added.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>Never throws but <see cref="OperationCanceledException"/>: whatever else fails is reported and the loop goes on.</summary>
    public async ValueTask<SerializedBatch> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (await TryTakeAsync(cancellationToken).ConfigureAwait(false) is { } batch)
                {
                    return batch;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                PanopticonEventSource.Log.InternalError(nameof(TakeAsync), exception.GetType().FullName ?? "Exception");
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The oldest batch; <see langword="null"/> after waiting or dropping an unreadable one (the caller asks again).</summary>
    private async ValueTask<SerializedBatch?> TryTakeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        if (now >= _nextScan)
        {
            _nextScan = now + ScanInterval;
            AdoptLeftovers();
        }

        List<(StoredBatch Batch, DropReason Reason)> expired = [];
        StoredBatch? next;
        lock (_gate)
        {
            TakeExpired(now, expired);
            next = _index.LeaseOldest();
        }

        Forget(expired);
        if (next is not null)
        {
            return Load(next);
        }

        await WaitForBatchAsync(_nextScan - now, cancellationToken).ConfigureAwait(false);
        return null;
    }

    public void Complete(SerializedBatch batch)
    {
        StoredBatch? stored;
        lock (_gate)
        {
            stored = _index.RemoveLeased(batch.Id);
        }

        if (stored is { InMemory: null })
        {
            Try(() => _folder.Delete(stored.Name), "delete"); // left behind, it is sent again after a restart and dropped by the Producer as a duplicate
        }
    }

    /// <summary>Releases the owner lock so another process can adopt what is left; counts what only memory held as dropped (<c>shutdown</c>).</summary>
    public void Dispose()
    {
        List<StoredBatch> inMemory;
        lock (_gate)
        {
            inMemory = _index.All.Where(b => b.InMemory is not null).ToList();
        }

        inMemory.ForEach(batch => _accounting.OnDropped(DropReason.Shutdown, batch.Name.BatchId, batch.Records));

        _owner?.Dispose(); // _added is not disposed: a sender loop may still be waiting on it
    }

    private StoredBatch WriteOrKeep(BatchFileName name, SerializedBatch batch, long size, DateTimeOffset now)
    {
        try
        {
            try
            {
                _folder.Write(name, batch);
            }
            catch (DirectoryNotFoundException)
            {
                _folder.Create(); // removed while running: make it again, once
                _folder.Write(name, batch);
            }

            _fallenBack = false;
            return new StoredBatch(name, size, batch.RecordCount, inMemory: null);
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            OnDiskFault(exception, now);
            return Keep(name, batch, size);
        }
    }

    /// <summary>Makes the directory and takes an owner id in it; false (reported) when the disk refuses.</summary>
    private bool TryOpen(DateTimeOffset now)
    {
        try
        {
            _folder.Create();
            _owner = BufferOwner.Create(_folder.Path);
            return true;
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            OnDiskFault(exception, now);
            return false;
        }
    }

    /// <summary>Batches go to memory for <see cref="DiskRetryInterval"/>; the first fault of an episode is reported.</summary>
    private void OnDiskFault(Exception exception, DateTimeOffset now)
    {
        _diskRetryAt = now + DiskRetryInterval;
        if (!_fallenBack)
        {
            _reporter.OnDirectoryUnusable(_folder.Signal, _folder.Path, exception);
            _fallenBack = true;
        }
    }

    private StoredBatch Keep(BatchFileName name, SerializedBatch batch, long size)
    {
        _reporter.OnKeptInMemory();
        return new StoredBatch(name, size, batch.RecordCount, Copy(batch));
    }

    // A copy: the caller may reuse its buffer once the batch is stored.
    private static SerializedBatch Copy(SerializedBatch batch) =>
        new(batch.Id, batch.Signal, batch.CreatedAt, batch.Json.ToArray(), batch.RecordEnds);

    /// <summary>Under <see cref="_gate"/>: drops the in-memory copy of a batch that is leased or dropped.</summary>
    private SerializedBatch? Uncache(StoredBatch stored)
    {
        var cached = stored.Cached;
        if (cached is not null)
        {
            stored.Cached = null;
            _cached -= cached.Json.Length;
        }

        return cached;
    }

    /// <summary>The leased batch's content, or <see langword="null"/> when its file is unreadable (then moved aside and counted).</summary>
    private SerializedBatch? Load(StoredBatch stored)
    {
        if (stored.InMemory is { } batch)
        {
            return batch;
        }

        lock (_gate)
        {
            if (Uncache(stored) is { } cached)
            {
                return cached;
            }
        }

        string? problem;
        try
        {
            batch = _folder.Read(stored.Name, out problem);
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            batch = null;
            problem = $"{exception.GetType().Name}: {exception.Message}";
        }

        if (batch is not null)
        {
            return batch;
        }

        lock (_gate)
        {
            _index.RemoveLeased(stored.Name.BatchId);
        }

        MoveAside(stored.Name.ToString(), problem ?? "unreadable");
        _accounting.OnDropped(DropReason.Unserializable, stored.Name.BatchId, stored.Records); // counted in when written or adopted, so counted out here
        return null;
    }

    /// <summary>Adopts the batches of ended processes and moves aside what is not a batch; never throws.</summary>
    private void AdoptLeftovers()
    {
        if (_owner is not { } owner)
        {
            return;
        }

        Dictionary<Guid, IDisposable?> claims = [];
        try
        {
            foreach (var fileName in _folder.FileNames().Order(StringComparer.Ordinal).ToList())
            {
                try
                {
                    Look(fileName, owner.Id, claims);
                }
                catch (Exception exception) when (IsDiskFault(exception))
                {
                    // One file the process may not read (permissions, a race with its owner) never stops the others.
                    PanopticonEventSource.Log.InternalError(nameof(AdoptLeftovers), exception.GetType().FullName ?? "Exception");
                }
            }
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            PanopticonEventSource.Log.InternalError(nameof(AdoptLeftovers), exception.GetType().FullName ?? "Exception");
        }
        finally
        {
            foreach (var claim in claims.Values)
            {
                claim?.Dispose(); // deletes each dead owner's file
            }
        }
    }

    /// <summary>
    /// Adopts one file if it is a batch of an ended process, deletes an unfinished write or the lock file of one, moves
    /// aside a stranger.
    /// </summary>
    private void Look(string fileName, Guid self, Dictionary<Guid, IDisposable?> claims)
    {
        if (BufferOwner.IsOwnerFile(fileName, out var owner))
        {
            if (owner != self)
            {
                Claim(owner, claims); // a killed process's lock file goes once the scan is over, batches or not
            }

            return;
        }

        if (BatchFileName.TryParseTemp(fileName, out var temp))
        {
            if (temp.Value.Owner != self && Claim(temp.Value.Owner, claims))
            {
                _folder.DeleteFile(fileName); // a write its process did not finish: never stored
            }
        }
        else if (!BatchFileName.TryParse(fileName, out var name))
        {
            MoveAside(fileName, "not a batch file name");
        }
        else if (name.Value.Owner != self && Claim(name.Value.Owner, claims))
        {
            Adopt(fileName, name.Value.WithOwner(self));
        }
    }

    /// <summary>Whether <paramref name="owner"/> has ended; keeps its lock until the scan is over.</summary>
    private bool Claim(Guid owner, Dictionary<Guid, IDisposable?> claims)
    {
        if (!claims.TryGetValue(owner, out var claim))
        {
            claims[owner] = claim = BufferOwner.ClaimIfDead(_folder.Path, owner);
        }

        return claim is not null;
    }

    private void Adopt(string fileName, BatchFileName adopted)
    {
        int? records;
        string? problem;
        try
        {
            records = _folder.ReadRecordCount(fileName, out problem);
        }
        catch (FileNotFoundException)
        {
            return; // another process adopted it first
        }

        if (records is null)
        {
            MoveAside(fileName, problem ?? "unreadable");
            return;
        }

        if (!_folder.TryAdopt(fileName, adopted))
        {
            return;
        }

        var size = Try(() => new FileInfo(Path.Combine(_folder.Path, adopted.ToString())).Length, "size");
        _accounting.OnRecovered(records.Value);
        List<(StoredBatch Batch, DropReason Reason)> dropped = [];
        lock (_gate)
        {
            _index.Add(new StoredBatch(adopted, size, records.Value, inMemory: null));
            while (!_caps.Fits(_index.Bytes + _reserved, 0) && _index.OldestWaiting is { } oldest)
            {
                _index.RemoveWaiting(oldest);
                Uncache(oldest);
                dropped.Add((oldest, DropReason.BufferFull));
            }
        }

        Forget(dropped);
    }

    /// <summary>Under <see cref="_gate"/>: removes the waiting batches older than the retention (the oldest come first).</summary>
    private void TakeExpired(DateTimeOffset now, List<(StoredBatch, DropReason)> into)
    {
        while (_index.OldestWaiting is { } oldest && _caps.IsExpired(oldest, now))
        {
            _index.RemoveWaiting(oldest);
            Uncache(oldest);
            into.Add((oldest, DropReason.Expired));
        }
    }

    /// <summary>Deletes the files of dropped batches and counts their records.</summary>
    private void Forget(List<(StoredBatch Batch, DropReason Reason)> dropped)
    {
        foreach (var (batch, reason) in dropped)
        {
            if (batch.InMemory is null)
            {
                Try(() => _folder.Delete(batch.Name), "delete");
            }

            _accounting.OnDropped(reason, batch.Name.BatchId, batch.Records);
        }
    }

    private void MoveAside(string fileName, string problem)
    {
        try
        {
            _folder.MoveAside(fileName);
            _reporter.OnMovedAside(_folder.Path, fileName, problem);
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            PanopticonEventSource.Log.InternalError(nameof(MoveAside), exception.GetType().FullName ?? "Exception");
        }
    }

    private async Task WaitForBatchAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var added = _added.WaitAsync(stop.Token);
        var due = Task.Delay(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, _time, stop.Token);
        await Task.WhenAny(added, due).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
    }

    private static void Try(Action action, string what) => Try<int>(() => { action(); return 0; }, what);

    private static T Try<T>(Func<T> action, string what)
    {
        try
        {
            return action();
        }
        catch (Exception exception) when (IsDiskFault(exception))
        {
            PanopticonEventSource.Log.InternalError($"{nameof(FileBatchStore)}.{what}", exception.GetType().FullName ?? "Exception");
            return default!;
        }
    }

    private static bool IsDiskFault(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException or ArgumentException;
}
