using System.Diagnostics.Metrics;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Diagnostics;

/// <summary>Publishes the engine's counters on the <c>Panopticon.Sdk</c> meter; it reads the same totals as <see cref="IPanopticonClient.Statistics"/>.</summary>
internal sealed class SdkMeter : IDisposable
{
    public const string Name = "Panopticon.Sdk";
    private readonly Meter _meter;

    public SdkMeter(SignalCounters logs, SignalCounters spans, Func<long> bufferSize)
    {
        _meter = new Meter(Name, typeof(SdkMeter).Assembly.GetName().Version?.ToString());
        Observe("panopticon.records.accepted", "Records handed to the SDK.", c => c.Accepted);
        Observe("panopticon.records.sent", "Records acknowledged by the endpoint.", c => c.Sent);
        Observe("panopticon.records.failed", "Records rejected or given up after retries.", c => c.Failed);
        Observe("panopticon.export.retries", "Retried HTTP attempts.", c => c.Retried);
        Observe("panopticon.export.batches", "Requests acknowledged by the endpoint.", c => c.Batches);
        Observe("panopticon.export.bytes", "Request bytes acknowledged by the endpoint.", c => c.Bytes, "By");
        _meter.CreateObservableCounter(
            "panopticon.records.dropped",
            () => DropReasonNames.All.SelectMany(reason => new[]
            {
                new Measurement<long>(logs.DroppedFor(reason), Tag("signal", "logs"), Tag("reason", reason.ToLabel())),
                new Measurement<long>(spans.DroppedFor(reason), Tag("signal", "spans"), Tag("reason", reason.ToLabel())),
            }),
            "{record}",
            "Records dropped before they could be sent, by reason.");
        _meter.CreateObservableUpDownCounter("panopticon.buffer.size", bufferSize, "{record}", "Records accepted and not yet acknowledged, failed or dropped.");

        void Observe(string name, string description, Func<SignalCounters, long> read, string unit = "{record}") =>
            _meter.CreateObservableCounter(
                name,
                () => new[] { new Measurement<long>(read(logs), Tag("signal", "logs")), new Measurement<long>(read(spans), Tag("signal", "spans")) },
                unit,
                description);
    }

    /// <summary>The meter instance, so tests can tell this client's measurements from another's.</summary>
    internal Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
