namespace Panopticon.Sdk.Storage;

/// <summary>
/// The lease of one store on the batches named after it: an <c>{owner id}.owner</c> file held open and locked for the
/// store's lifetime. The operating system releases the lock when the process ends in any way (SIGKILL included), so
/// another process can tell a live owner from a dead one without clocks: it can lock a dead owner's file, never a live
/// one's. Only batches of dead owners are adopted, and adopting is a rename that only one process can win.
/// </summary>
internal sealed class BufferOwner : IDisposable
{
    private const string Extension = ".owner";
    private readonly FileStream _lock;

    private BufferOwner(Guid id, FileStream held)
    {
        Id = id;
        _lock = held;
    }

    public Guid Id { get; }

    /// <summary>Takes a new owner id in <paramref name="directory"/>; throws on I/O errors (the caller falls back to memory).</summary>
    public static BufferOwner Create(string directory)
    {
        for (var attempt = 0; ; attempt++)
        {
            var id = Guid.NewGuid();
            try
            {
                return new BufferOwner(id, Open(directory, id, FileMode.CreateNew));
            }
            catch (IOException) when (attempt < 2)
            {
                // Another process may have locked the new file before us (taking it for a dead owner's): try another id.
            }
        }
    }

    /// <summary>
    /// The lock of <paramref name="owner"/> if it is dead (its file unlocked or gone), held until the claim is disposed,
    /// which deletes the file; <see langword="null"/> while the owner is alive.
    /// </summary>
    public static IDisposable? ClaimIfDead(string directory, Guid owner)
    {
        try
        {
            return Open(directory, owner, FileMode.Open);
        }
        catch (FileNotFoundException)
        {
            return NoLock.Instance; // ended cleanly: its file is gone with it
        }
        catch (IOException)
        {
            return null; // locked: the owner lives
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsOwnerFile(string fileName, out Guid owner)
    {
        owner = Guid.Empty;
        return fileName.EndsWith(Extension, StringComparison.Ordinal)
            && Guid.TryParseExact(fileName.AsSpan(0, fileName.Length - Extension.Length), "N", out owner);
    }

    /// <summary>Deletes the owner file and releases the lock, so another process can adopt what is left at once.</summary>
    public void Dispose() => _lock.Dispose();

    // FileShare.None takes an exclusive lock (flock on Unix) for as long as the handle is open; DeleteOnClose removes
    // the file before the lock is released.
    private static FileStream Open(string directory, Guid owner, FileMode mode) =>
        new(PathOf(directory, owner), mode, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);

    private static string PathOf(string directory, Guid owner) => Path.Combine(directory, owner.ToString("N") + Extension);

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}
