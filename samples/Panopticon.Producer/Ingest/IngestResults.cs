namespace Panopticon.Producer.Ingest;

/// <summary>202 body: everything was stored (or the batch id was seen before, then <c>duplicate</c> is true).</summary>
internal sealed record IngestAccepted(bool Success, int Accepted, bool? Duplicate = null);

/// <summary>One rejected record: its index in the request array and why.</summary>
internal sealed record RecordError(int Index, string Reason);

/// <summary>200 (some stored) or 400 (none stored) body when records were rejected; <c>errors</c> lists at most the first 100.</summary>
internal sealed record IngestPartial(int Accepted, int Rejected, IReadOnlyList<RecordError> Errors);

internal sealed record FaultInjectionState(int FailEveryNth, long FailedRequests);
