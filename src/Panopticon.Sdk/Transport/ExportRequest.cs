using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Transport;

/// <summary>One request's worth of records: a JSON array and the id that stays the same on every retry.</summary>
internal sealed record ExportRequest(TelemetrySignal Signal, Guid BatchId, int RecordCount, ReadOnlyMemory<byte> Json);
