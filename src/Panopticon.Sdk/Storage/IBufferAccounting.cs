using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>Where a disk store counts the records it adds to or takes from its signal's totals.</summary>
internal interface IBufferAccounting
{
    /// <summary>Records of an earlier process's batches adopted for sending (accepted again, so they end as sent, failed or dropped here).</summary>
    void OnRecovered(long records);

    /// <summary>Records of batches the store dropped (<see cref="DropReason.BufferFull"/>, <see cref="DropReason.Expired"/>, or unreadable ones).</summary>
    void OnDropped(DropReason reason, long records);
}
