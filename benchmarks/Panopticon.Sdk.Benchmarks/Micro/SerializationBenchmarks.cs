using System.Diagnostics;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;

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
    private readonly SignalCounters _counters = new();
    private Activity[] _spans = [];
    private SpanRecord[] _spanRecords = [];
    private LogRecord[] _logs = [];
    private BatchSerializer<SpanRecord> _spanSerializer = null!;
    private BatchSerializer<LogRecord> _logSerializer = null!;
    private OtlpTraceSerializer _otlp = null!;

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
        _spanSerializer = new BatchSerializer<SpanRecord>(new SpanSerializer(resource, fields, new LabelWriter(fields, labelTypes, redaction)), 4 * 1024 * 1024);
        _logSerializer = new BatchSerializer<LogRecord>(new LogRecordSerializer(resource, fields, new LabelWriter(fields, labelTypes, redaction)), 4 * 1024 * 1024);
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
        // Exactly what an export lane does per batch: serialize once, cut into bodies, take each body as a slice.
        serializer.Serialize(records, _counters);
        long total = 0;
        foreach (var range in serializer.SplitBySize())
        {
            var body = serializer.Payload(range);
            total += Gzip ? Compress(body.Span) : body.Length;
        }

        return total;
    }

    // The same compression HttpTransport applies to a body (fastest level, into a fresh stream).
    private static long Compress(ReadOnlySpan<byte> body)
    {
        var compressed = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return compressed.Length;
    }
}
