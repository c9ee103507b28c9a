using System.Text.Json;

// Times in views are UTC DateTime values so they serialize as "2025-01-31T12:00:00.123Z", like the wire protocol.

namespace Panopticon.Producer.Storage;

/// <summary>What storing one batch did: a repeated batch id stores nothing and reports the first attempt's count.</summary>
internal readonly record struct BatchOutcome(bool Duplicate, int Accepted);

internal sealed record SpanView(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string Status,
    string ServiceName,
    string Environment,
    DateTime Timestamp,
    double DurationMs,
    string? HttpMethod,
    string? HttpPath,
    int? HttpStatusCode,
    JsonElement? Labels);

internal sealed record LogView(
    long Id,
    DateTime Timestamp,
    string ServiceName,
    string Environment,
    string Level,
    string Message,
    string? TraceId,
    string? SpanId,
    string? HttpMethod,
    string? HttpPath,
    int? HttpStatusCode,
    JsonElement? Labels);

internal sealed record TraceDetail(string TraceId, IReadOnlyList<SpanView> Spans, IReadOnlyList<LogView> Logs);

/// <summary>One row of the recent-traces list. The root is the span without a parent (else the earliest one).</summary>
internal sealed record TraceSummary(
    string TraceId,
    string RootName,
    string ServiceName,
    DateTime Start,
    double DurationMs,
    string Status,
    int SpanCount,
    int ErrorCount);

internal sealed record TraceQuery(string? Service, string? Status, double? MinDurationMs, int Limit);

internal sealed record LogQuery(
    string? Service,
    string? Level,
    string? TraceId,
    string? Text,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    int Offset);

internal sealed record LogPage(long Total, int Limit, int Offset, IReadOnlyList<LogView> Items);

/// <summary>A SERVER span reduced to what endpoint statistics need.</summary>
internal readonly record struct ServerSpanSample(string ServiceName, string Name, double DurationMs, bool IsError);
