using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>
/// The files of one signal's buffer directory: writes a batch atomically (a temporary name, flushed to disk, then
/// renamed, so no reader ever sees half a batch), reads, deletes, adopts by rename and moves unreadable files aside
/// into <see cref="AsideFolder"/>. Every method may throw the file system's exceptions; the store catches them.
/// </summary>
internal sealed class BufferFolder(string path, TelemetrySignal signal)
{
    /// <summary>Where unreadable files are moved, inside the signal's directory; never read again, never deleted.</summary>
    public const string AsideFolder = "unreadable";

    public string Path { get; } = path;

    public TelemetrySignal Signal { get; } = signal;

    public void Create() => Directory.CreateDirectory(Path);

    /// <summary>Writes the batch under <paramref name="name"/>; returns the bytes written.</summary>
    public long Write(BatchFileName name, SerializedBatch batch)
    {
        var final = PathOf(name);
        var temp = final + BatchFileName.TempSuffix;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                BatchFileFormat.Write(stream, batch);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, final);
            return BatchFileFormat.SizeOf(batch);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The header's record count of a batch file, or why it is unreadable.</summary>
    public int? ReadRecordCount(string fileName, out string? problem)
    {
        Span<byte> header = stackalloc byte[BatchFileFormat.HeaderSize];
        using var stream = new FileStream(System.IO.Path.Combine(Path, fileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return BatchFileFormat.ReadRecordCount(header[..read], out problem);
    }

    /// <summary>The stored batch, or why its file is unreadable.</summary>
    public SerializedBatch? Read(BatchFileName name, out string? problem) =>
        BatchFileFormat.Read(File.ReadAllBytes(PathOf(name)), Signal, name, out problem);

    /// <summary>Renames a dead owner's batch to <paramref name="to"/>; false when another process adopted it first.</summary>
    public bool TryAdopt(string fileName, BatchFileName to)
    {
        try
        {
            File.Move(System.IO.Path.Combine(Path, fileName), PathOf(to));
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    public void Delete(BatchFileName name) => File.Delete(PathOf(name));

    /// <summary>Moves a file into <see cref="AsideFolder"/>, keeping its name (with a number if taken).</summary>
    public void MoveAside(string fileName)
    {
        var aside = System.IO.Path.Combine(Path, AsideFolder);
        Directory.CreateDirectory(aside);
        var target = System.IO.Path.Combine(aside, fileName);
        for (var n = 1; File.Exists(target); n++)
        {
            target = System.IO.Path.Combine(aside, $"{fileName}.{n}");
        }

        File.Move(System.IO.Path.Combine(Path, fileName), target);
    }

    public IEnumerable<string> FileNames() => Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName)!;

    public DateTimeOffset LastWrite(string fileName) => File.GetLastWriteTimeUtc(System.IO.Path.Combine(Path, fileName));

    public void DeleteFile(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    private string PathOf(BatchFileName name) => System.IO.Path.Combine(Path, name.ToString());

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
