using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Micro;

/// <summary>
/// Benchmark 3a: turn one batch into a request body (and gzip it, the SDK's default) — Panopticon JSON through the
/// engine's own <see cref="BatchSerializer{T}"/> against OpenTelemetry's OTLP protobuf serializer, on the same
/// ended server spans. Panopticon log records are measured too. One operation = one batch, on one thread (one core).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SerializationColumns))]
public class SerializationBenchmarks
{
    private const int MaxBatchBytes = 4 * 1024 * 1024;
    private readonly SignalCounters _counters = new();
    private Activity[] _spans = [];
    private SpanRecord[] _spanRecords = [];
    private LogRecord[] _logs = [];
    private BatchSerializer<SpanRecord> _spanSerializer = null!;
    private BatchSerializer<LogRecord> _logSerializer = null!;
    private OtlpTraceSerializer _otlp = null!;
    private readonly CompressedBodyBuffers _compressedBodies = new();

    [Params(100, 512)]
    public int Records { get; set; }

    [Params(false, true)]
    public bool Gzip { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _spans = SampleData.ServerSpans(Records);
        _spanRecords = [.. _spans.Select(ToRecord)];
        _logs = SampleData.LogRecords(Records);
        var fields = new JsonFieldWriter(32 * 1024);
        var resource = new ResourceFields(fields, "benchmark", "production");
        var labelTypes = new LabelTypeRegistry(LabelKeys.Reserved);
        var redaction = new LabelRedaction(new PanopticonOptions().RedactedLabelKeys); // on by default, as in the client
        _spanSerializer = new BatchSerializer<SpanRecord>(TelemetrySignal.Spans, new SpanSerializer(resource, fields, new LabelWriter(fields, labelTypes, redaction)), MaxBatchBytes, _counters);
        _logSerializer = new BatchSerializer<LogRecord>(TelemetrySignal.Logs, new LogRecordSerializer(resource, fields, new LabelWriter(fields, labelTypes, redaction)), MaxBatchBytes, _counters);
        _otlp = new OtlpTraceSerializer();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _spanSerializer.Dispose();
        _logSerializer.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long OtlpProtobufSpans()
    {
        var length = _otlp.Write(_spans, _spans.Length);
        return Gzip ? Compress(_otlp.Buffer.AsSpan(0, length)) : length;
    }

    [Benchmark]
    public long PanopticonJsonSpans() => Write(_spanSerializer, _spanRecords);

    [Benchmark]
    public long PanopticonJsonLogs() => Write(_logSerializer, _logs);

    /// <summary>Wire bytes per record of one contender, for the <c>Bytes/record</c> column.</summary>
    internal long BodyBytes(string method) => method switch
    {
        nameof(OtlpProtobufSpans) => OtlpProtobufSpans(),
        nameof(PanopticonJsonSpans) => PanopticonJsonSpans(),
        _ => PanopticonJsonLogs(),
    };

    private static SpanRecord ToRecord(Activity activity)
    {
        var record = new SpanRecord();
        record.CopyFrom(activity); // what the span processor does when the activity ends
        return record;
    }

    private long Write<T>(BatchSerializer<T> serializer, T[] records)
    {
        // Exactly what the pipeline does per batch: the batch loop serializes once, the sender cuts it into bodies.
        var batch = serializer.Serialize(records, DateTimeOffset.UnixEpoch)!;
        long total = 0;
        for (var start = 0; start < batch.RecordCount;)
        {
            var range = BatchRanges.NextRange(batch, start, batch.RecordCount, MaxBatchBytes);
            var body = BatchRanges.Json(batch, range);
            total += Gzip ? Compress(body.Span) : body.Length;
            start += range.Count;
        }

        // The pipeline gives the batch's buffer back once it is sent.
        if (MemoryMarshal.TryGetArray(batch.Json, out var segment))
        {
            ArrayPool<byte>.Shared.Return(segment.Array!);
        }

        return total;
    }

    // What HttpTransport does with a body: gzip into one of its reused buffers, given back once the request is over.
    private long Compress(ReadOnlySpan<byte> body)
    {
        var compressed = _compressedBodies.Compress(body);
        var length = compressed.Length;
        _compressedBodies.Return(compressed);
        return length;
    }
}
