using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>
/// The <c>BufferDirectory</c> of one client: a <see cref="FileBatchStore"/> per signal in its own subdirectory
/// (<c>logs</c>, <c>spans</c>), with the options' caps and one reporter for both.
/// </summary>
internal sealed class DiskBuffer(PanopticonOptions options, TimeProvider time, Func<ILoggerFactory?>? loggerFactory)
{
    private readonly BufferCaps _caps = new(options.MaxBufferBytes, options.BufferRetention);

    public BufferReporter Reporter { get; } = new(loggerFactory);

    /// <summary>The buffer when the options ask for one, else <see langword="null"/>.</summary>
    public static DiskBuffer? From(PanopticonOptions options, TimeProvider time, Func<ILoggerFactory?>? loggerFactory) =>
        string.IsNullOrWhiteSpace(options.BufferDirectory) ? null : new DiskBuffer(options, time, loggerFactory);

    public FileBatchStore CreateStore(TelemetrySignal signal, IBufferAccounting accounting) =>
        new(new BufferFolder(Path.Combine(Path.GetFullPath(options.BufferDirectory!), signal.ToLabel()), signal), _caps, time, Reporter, accounting);
}
