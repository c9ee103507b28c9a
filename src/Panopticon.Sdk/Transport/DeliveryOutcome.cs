namespace Panopticon.Sdk.Transport;

/// <summary>How one request ended.</summary>
internal enum DeliveryStatus
{
    Delivered,
    TooLarge,
    Rejected,
    GaveUp,
    Cancelled,
}

/// <summary>
/// The final outcome of one request, with what is needed to count and report it: the status code, the Producer's
/// reason (the start of its answer to a refused payload), and for a batch given up, whether the Producer failed or
/// could not be reached.
/// </summary>
internal readonly record struct DeliveryOutcome(DeliveryStatus Status, int StatusCode = 0, long BodyBytes = 0, string? Reason = null, PanopticonFailureKind Kind = PanopticonFailureKind.ProducerFailing);
