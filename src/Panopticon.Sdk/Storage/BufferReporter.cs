using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>
/// Tells the application, in its own log (category <see cref="ExportHealthReporter.Category"/>, never exported), when
/// its disk buffer misbehaves: once when a signal's buffer falls back to memory (directory not writable, disk full)
/// and once per unreadable file moved aside, and counts both for the statistics. Shared by the signals' stores.
/// </summary>
internal sealed class BufferReporter(Func<ILoggerFactory?>? loggerFactory)
{
    private readonly AppLog _appLog = new(loggerFactory);
    private long _movedAside;
    private long _memoryFallbacks;

    /// <summary>Unreadable files moved aside since start.</summary>
    public long MovedAside => Interlocked.Read(ref _movedAside);

    /// <summary>Batches kept in memory because the buffer directory could not take them.</summary>
    public long MemoryFallbacks => Interlocked.Read(ref _memoryFallbacks);

    public void OnMovedAside(string directory, string fileName, string problem)
    {
        Interlocked.Increment(ref _movedAside);
        Warn($"Panopticon: the buffer file {fileName} is unreadable ({problem}); it was moved to {Path.Combine(directory, BufferFolder.AsideFolder)} and the other stored batches are sent.");
    }

    /// <summary>A batch was kept in memory because the directory could not take it.</summary>
    public void OnKeptInMemory() => Interlocked.Increment(ref _memoryFallbacks);

    /// <summary>The directory failed: one WARN per episode (the store calls it when the disk worked until now).</summary>
    public void OnDirectoryUnusable(TelemetrySignal signal, string directory, Exception exception) =>
        Warn($"Panopticon: the buffer directory {directory} cannot be written ({exception.GetType().Name}: {exception.Message}); {signal.ToLabel()} batches are kept in memory until it can, and are lost if the process ends.");

    private void Warn(string line) => _appLog.Write(LogLevel.Warning, line);
}
