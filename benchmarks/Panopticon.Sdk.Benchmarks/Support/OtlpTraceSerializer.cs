using System.Diagnostics;
using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// OpenTelemetry's own OTLP protobuf span serializer (the code <c>OtlpTraceExporter</c> runs before the HTTP call),
/// reached by reflection because it is internal. Pinned to OpenTelemetry.Exporter.OpenTelemetryProtocol 1.20.1:
/// a signature change fails loudly here rather than measuring something else.
/// </summary>
internal sealed class OtlpTraceSerializer
{
    private readonly MethodInfo _writeTraceData;
    private readonly object _limits;
    private readonly Resource _resource;
    private readonly object?[] _arguments = new object?[6];
    private byte[] _buffer = new byte[750_000];

    public OtlpTraceSerializer()
    {
        var assembly = typeof(OtlpTraceExporter).Assembly;
        var serializer = assembly.GetType("OpenTelemetry.Exporter.OpenTelemetryProtocol.Implementation.Serializer.ProtobufOtlpTraceSerializer", throwOnError: true)!;
        var limitsType = assembly.GetType("OpenTelemetry.Exporter.OpenTelemetryProtocol.Implementation.SdkLimitOptions", throwOnError: true)!;
        _writeTraceData = serializer.GetMethod("WriteTraceData", BindingFlags.Static | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("ProtobufOtlpTraceSerializer.WriteTraceData not found: OpenTelemetry version changed?");
        _limits = Activator.CreateInstance(limitsType, nonPublic: true)!;
        _resource = ResourceBuilder.CreateEmpty()
            .AddService("benchmark")
            .AddAttributes([new("deployment.environment.name", "production")])
            .Build();
    }

    public byte[] Buffer => _buffer;

    /// <summary>Serializes the batch into <see cref="Buffer"/>; returns the number of bytes written.</summary>
    public int Write(Activity[] spans, int count)
    {
        _arguments[0] = _buffer;
        _arguments[1] = 0;
        _arguments[2] = _limits;
        _arguments[3] = _resource;
        _arguments[4] = new Batch<Activity>(spans, count);
        _arguments[5] = 100 * 1024 * 1024;
        var written = (int)_writeTraceData.Invoke(null, _arguments)!;
        _buffer = (byte[])_arguments[0]!; // the serializer may have grown it
        return written;
    }
}
