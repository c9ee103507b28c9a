using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>Where a disk store counts the records it adds to or takes from its signal's totals.</summary>
internal interface IBufferAccounting
{
    /// <summary>Records of an earlier process's batches adopted for sending (accepted again, so they end as sent, failed or dropped here).</summary>
    void OnRecovered(long records);

    /// <summary>
    /// A batch the store dropped without handing it to the sender (<see cref="DropReason.BufferFull"/>,
    /// <see cref="DropReason.Expired"/>, an unreadable file): its records are counted and, if it is this process's, a
    /// flush waiting for it stops waiting.
    /// </summary>
    void OnDropped(DropReason reason, Guid batchId, int records);
}
