using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>
/// A batch as it is stored and sent: the records of one signal serialized once into a JSON array, never changed
/// afterwards. The id travels as the request's batch id on every attempt and after a restart, so the Producer drops a
/// batch it has already accepted. <see cref="RecordEnds"/> lets the sender cut the batch into smaller requests after a
/// 413 without parsing it.
/// </summary>
internal sealed class SerializedBatch(Guid id, TelemetrySignal signal, DateTimeOffset createdAt, ReadOnlyMemory<byte> json, int[] recordEnds)
{
    public Guid Id { get; } = id;

    public TelemetrySignal Signal { get; } = signal;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>The whole batch as a JSON array: <c>[r0,r1,…]</c>.</summary>
    public ReadOnlyMemory<byte> Json { get; } = json;

    /// <summary>For each record, the offset in <see cref="Json"/> just after its last byte (before the ',' or ']').</summary>
    public int[] RecordEnds { get; } = recordEnds;

    public int RecordCount => RecordEnds.Length;
}
