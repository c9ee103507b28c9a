using System.Diagnostics;
using OpenTelemetry;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// OpenTelemetry's side of <see cref="DiscardTransport"/> with the same work done: each batch is serialized to OTLP
/// protobuf by OpenTelemetry's own serializer, then discarded (Panopticon's discarding transport also receives a
/// serialized body). <see cref="NoopExporter{T}"/> skips that work, so it understates what a real exporter costs.
/// </summary>
internal sealed class OtlpSerializingExporter : BaseExporter<Activity>
{
    private readonly OtlpTraceSerializer _serializer = new();
    private Activity[] _spans = new Activity[512];

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var count = 0;
        foreach (var span in batch)
        {
            if (count == _spans.Length)
            {
                Array.Resize(ref _spans, count * 2);
            }

            _spans[count++] = span;
        }

        _serializer.Write(_spans, count);
        Array.Clear(_spans, 0, count);
        return ExportResult.Success;
    }
}
