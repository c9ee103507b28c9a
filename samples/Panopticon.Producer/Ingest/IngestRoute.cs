namespace Panopticon.Producer.Ingest;

/// <summary>What an ingest route accepts.</summary>
internal sealed record IngestRoute(string Signal, bool AcceptsSingleObject)
{
    /// <summary><c>POST /sdk/logs</c>: a JSON array of log records.</summary>
    public static readonly IngestRoute SdkLogs = new("logs", AcceptsSingleObject: false);

    /// <summary><c>POST /sdk/traces</c>: a JSON array of span records.</summary>
    public static readonly IngestRoute SdkTraces = new("spans", AcceptsSingleObject: false);

    /// <summary><c>POST /ingest/logs</c>: Fluent Bit style, a JSON array of log records or one record.</summary>
    public static readonly IngestRoute FluentBitLogs = new("logs", AcceptsSingleObject: true);

    public bool IsLogs => Signal == "logs";
}
