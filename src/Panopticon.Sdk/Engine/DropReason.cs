namespace Panopticon.Sdk.Engine;

/// <summary>Why a record was dropped without being offered to the endpoint.</summary>
internal enum DropReason
{
    /// <summary>The signal's queue was full.</summary>
    QueueFull,

    /// <summary>The SDK was shutting down and the record could not be sent in time.</summary>
    Shutdown,

    /// <summary>The record alone is larger than <c>MaxBatchBytes</c>.</summary>
    TooLarge,

    /// <summary>The record could not be serialized.</summary>
    Unserializable,

    /// <summary>A filter hook of the application's (<c>FilterLogs</c>, <c>FilterSpans</c>) left it out.</summary>
    Filtered,

    /// <summary>The disk buffer (<c>BufferDirectory</c>) reached <c>MaxBufferBytes</c>: its oldest batch made room.</summary>
    BufferFull,

    /// <summary>A batch waited in the disk buffer longer than <c>BufferRetention</c>.</summary>
    Expired,
}

internal static class DropReasonNames
{
    public static readonly DropReason[] All = Enum.GetValues<DropReason>();

    public static string ToLabel(this DropReason reason) => reason switch
    {
        DropReason.QueueFull => "queue_full",
        DropReason.Shutdown => "shutdown",
        DropReason.TooLarge => "too_large",
        DropReason.Unserializable => "unserializable",
        DropReason.Filtered => "filtered",
        DropReason.BufferFull => "buffer_full",
        DropReason.Expired => "expired",
        _ => "unknown",
    };
}
