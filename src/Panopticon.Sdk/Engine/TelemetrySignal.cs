namespace Panopticon.Sdk.Engine;

/// <summary>The two kinds of telemetry, each with its own queue, batches and endpoint.</summary>
internal enum TelemetrySignal
{
    Logs,
    Spans,
}

internal static class TelemetrySignalNames
{
    public static string ToLabel(this TelemetrySignal signal) => signal == TelemetrySignal.Logs ? "logs" : "spans";
}
