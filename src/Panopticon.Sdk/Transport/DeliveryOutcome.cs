namespace Panopticon.Sdk.Transport;

/// <summary>How one request ended after every retry it was allowed.</summary>
internal enum DeliveryStatus
{
    Delivered,
    TooLarge,
    Rejected,
    GaveUp,
    Cancelled,
}

/// <summary>The final outcome of one request, with what is needed to count and report it.</summary>
internal readonly record struct DeliveryOutcome(DeliveryStatus Status, int StatusCode = 0, long BodyBytes = 0, string? Reason = null);
