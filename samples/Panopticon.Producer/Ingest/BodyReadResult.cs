namespace Panopticon.Producer.Ingest;

internal enum BodyReadStatus
{
    Ok,
    TooLarge,
    CorruptEncoding,
    UnsupportedEncoding,
}

/// <summary>The outcome of reading a request body; <see cref="Body"/> is set only when <see cref="Status"/> is Ok.</summary>
internal readonly record struct BodyReadResult(BodyReadStatus Status, ReadOnlyMemory<byte> Body, string? Reason)
{
    public static BodyReadResult Fail(BodyReadStatus status, string reason) => new(status, default, reason);
}
