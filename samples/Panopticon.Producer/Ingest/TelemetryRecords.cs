namespace Panopticon.Producer.Ingest;

/// <summary>A log record that passed validation.</summary>
internal sealed record LogRecord(
    DateTimeOffset Timestamp,
    string ServiceName,
    string Environment,
    string Level,
    string Message,
    string? TraceId,
    string? SpanId,
    string? HttpMethod,
    string? HttpPath,
    int? HttpStatusCode,
    string? LabelsJson);

/// <summary>A span record that passed validation.</summary>
internal sealed record SpanRecord(
    DateTimeOffset Timestamp,
    string ServiceName,
    string Environment,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    double DurationMs,
    string Status,
    string? HttpMethod,
    string? HttpPath,
    int? HttpStatusCode,
    string? LabelsJson);
