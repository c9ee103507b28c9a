namespace Panopticon.Sdk;

/// <summary>Why the last export failed, as shown by <see cref="PanopticonStatistics.LastFailureKind"/>.</summary>
public enum PanopticonFailureKind
{
    /// <summary>The Producer rejected the API key (HTTP 401 or 403).</summary>
    ApiKeyRejected = 1,

    /// <summary>The Producer refused the payload itself (HTTP 400, or 413 for a single record).</summary>
    PayloadRejected = 2,

    /// <summary>The Producer answered with a retryable error (408, 429 or 5xx) or did not answer in time.</summary>
    ProducerFailing = 3,

    /// <summary>The Producer could not be reached (connection refused, DNS, TLS or another transport error).</summary>
    ProducerUnreachable = 4,
}
