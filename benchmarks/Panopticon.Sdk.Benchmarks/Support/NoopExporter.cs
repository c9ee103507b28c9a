using OpenTelemetry;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>OpenTelemetry's side of <see cref="DiscardTransport"/>: an exporter that reports success and does nothing.</summary>
internal sealed class NoopExporter<T> : BaseExporter<T>
    where T : class
{
    public override ExportResult Export(in Batch<T> batch) => ExportResult.Success;
}
