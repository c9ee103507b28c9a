namespace Panopticon.Sdk.Transport;

/// <summary>What the endpoint answered: its status, when to come back, and the bytes the body took on the wire.</summary>
internal readonly record struct TransportResponse(int StatusCode, TimeSpan? RetryAfter = null, long BodyBytes = 0)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>408, 429 and 5xx are worth another try; other answers will not change.</summary>
    public bool IsRetryable => StatusCode is 408 or 429 or >= 500;

    public bool IsPayloadTooLarge => StatusCode == 413;
}
