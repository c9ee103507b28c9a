using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Engine;

/// <summary>One log line as captured on the caller's thread; turned into JSON later, on the export thread.</summary>
internal sealed class LogRecord
{
    public DateTimeOffset Timestamp { get; init; }

    public LogLevel Level { get; init; }

    /// <summary>The logger category, sent as the <c>context</c> label.</summary>
    public required string Category { get; init; }

    public required string Message { get; init; }

    public Exception? Exception { get; init; }

    public ActivityTraceId TraceId { get; init; }

    public ActivitySpanId SpanId { get; init; }

    public string? HttpMethod { get; init; }

    public string? HttpPath { get; init; }

    public int? HttpStatusCode { get; init; }

    /// <summary>Structured values and scope values; written into <c>labels</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>>? Attributes { get; init; }
}
