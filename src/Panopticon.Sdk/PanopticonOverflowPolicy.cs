namespace Panopticon.Sdk;

/// <summary>Which record gives way when a signal's queue is full. Either way the drop is counted and reported.</summary>
public enum PanopticonOverflowPolicy
{
    /// <summary>Drop the oldest queued record to make room for the new one.</summary>
    DropOldest,

    /// <summary>Keep the queue as it is and drop the new record.</summary>
    DropNewest,
}
