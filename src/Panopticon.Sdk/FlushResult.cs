namespace Panopticon.Sdk;

/// <summary>What happened to the records a <see cref="IPanopticonClient.FlushAsync"/> waited for.</summary>
/// <param name="Completed"><see langword="true"/> when everything enqueued before the flush reached a final outcome; <see langword="false"/> when the flush was cancelled first.</param>
/// <param name="Sent">Records acknowledged by the endpoint while the flush ran.</param>
/// <param name="Failed">Records rejected or given up after retries while the flush ran.</param>
/// <param name="Dropped">Records dropped (queue full, too large, shutdown) while the flush ran.</param>
public sealed record FlushResult(bool Completed, long Sent, long Failed, long Dropped)
{
    /// <summary><see langword="true"/> when the flush completed and nothing failed or was dropped.</summary>
    public bool Succeeded => Completed && Failed == 0 && Dropped == 0;
}
