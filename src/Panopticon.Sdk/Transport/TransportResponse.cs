namespace Panopticon.Sdk.Transport;

/// <summary>
/// What the endpoint answered: its status, when to come back, the bytes the body took on the wire, and for a refused
/// payload (400, 413) the start of the Producer's explanation.
/// </summary>
internal readonly record struct TransportResponse(int StatusCode, TimeSpan? RetryAfter = null, long BodyBytes = 0, string? Reason = null)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>408, 429 and 5xx are worth another try; other answers will not change.</summary>
    public bool IsRetryable => StatusCode is 408 or 429 or >= 500;

    public bool IsPayloadTooLarge => StatusCode == 413;

    /// <summary>The Producer refused the payload itself (not the key); its answer says why.</summary>
    public bool IsPayloadRefused => StatusCode is >= 400 and < 500 and not (401 or 403 or 408 or 429);
}
