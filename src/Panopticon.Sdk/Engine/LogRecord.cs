using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// One log line as captured on the caller's thread; turned into JSON later, on the export thread.
/// Records the logging provider writes come from a <see cref="RecordPool{T}"/> and go back to it once exported
/// or dropped, so a log call allocates no record of its own.
/// </summary>
internal sealed class LogRecord : IPooledRecord
{
    public LogRecord()
    {
    }

    internal LogRecord(bool pooled) => IsPooled = pooled;

    public DateTimeOffset Timestamp { get; set; }

    public LogLevel Level { get; set; }

    /// <summary>The logger category, sent as the <c>context</c> label.</summary>
    public string Category { get; set; } = string.Empty;

    /// <summary>The formatted message; <see langword="null"/> when formatting is deferred to <see cref="Template"/>.</summary>
    public string? Message { get; set; }

    /// <summary>
    /// The message template when formatting is deferred (the framework's own message states, holding only immutable
    /// values): the message is formatted from it and <see cref="TemplateValues"/> on the export thread.
    /// </summary>
    public string? Template { get; set; }

    public Exception? Exception { get; set; }

    public ActivityTraceId TraceId { get; set; }

    public ActivitySpanId SpanId { get; set; }

    public string? HttpMethod { get; set; }

    public string? HttpPath { get; set; }

    /// <summary>Structured values and scope values; written into <c>labels</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>>? Attributes { get; set; }

    /// <summary>Values copied at log time (state values that could change later, scope values); written after <see cref="Attributes"/> and <see cref="TemplateValues"/>.</summary>
    public List<KeyValuePair<string, object?>> Values => _values ??= new List<KeyValuePair<string, object?>>(4);

    /// <summary>The arguments of <see cref="Template"/>, in order; also written as labels. Numbers are held unboxed.</summary>
    public List<RecordTag> TemplateValues => _templateValues ??= new List<RecordTag>(4);

    /// <summary>Whether <see cref="Values"/> holds anything, without creating it.</summary>
    public bool HasValues => _values is { Count: > 0 };

    public bool IsPooled { get; }

    private List<KeyValuePair<string, object?>>? _values;
    private List<RecordTag>? _templateValues;

    /// <summary>Forgets everything but the reusable value list, before the record goes back to its pool.</summary>
    public void Reset()
    {
        Category = string.Empty;
        Message = null;
        Template = null;
        Exception = null;
        TraceId = default;
        SpanId = default;
        HttpMethod = null;
        HttpPath = null;
        Attributes = null;
        _values?.Clear();
        _templateValues?.Clear();
    }
}
