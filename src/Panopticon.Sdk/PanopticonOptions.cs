namespace Panopticon.Sdk;

/// <summary>
/// Settings of the Panopticon SDK. Bind them from code, from the <c>Panopticon</c> configuration section,
/// or from the <c>PANOPTICON_*</c> environment variables (which fill only options left at their defaults).
/// Invalid values make the application fail at startup with a message naming the option.
/// </summary>
public sealed class PanopticonOptions
{
    /// <summary>The public Panopticon Producer endpoint, used when <see cref="Endpoint"/> is not set.</summary>
    public const string DefaultEndpoint = "https://api.jungle-panopticon.cloud/producer";

    /// <summary>Name of the configuration section read by <c>AddPanopticon(IConfiguration)</c> when given the root.</summary>
    public const string SectionName = "Panopticon";

    /// <summary>Turns the whole SDK on or off. When <see langword="false"/> nothing is captured or sent. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The project's API key, sent as the <c>X-API-Key</c> header. Required. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL of the Producer; logs go to <c>{Endpoint}/sdk/logs</c> and spans to <c>{Endpoint}/sdk/traces</c>.</summary>
    public string Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Full URL for logs, overriding <c>{Endpoint}/sdk/logs</c>.</summary>
    public string? LogEndpoint { get; set; }

    /// <summary>Full URL for spans, overriding <c>{Endpoint}/sdk/traces</c>.</summary>
    public string? TraceEndpoint { get; set; }

    /// <summary>The service's name on every record. Defaults to the entry assembly's name.</summary>
    public string? ServiceName { get; set; }

    /// <summary>The deployment environment on every record. Default <c>production</c>.</summary>
    public string Environment { get; set; } = "production";

    /// <summary>Records per request; a batch is sent as soon as it holds this many. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Longest time a record waits in a partial batch before it is sent. Default 5 seconds.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Records held in memory per signal (logs, spans) while waiting to be sent. Default 10 000.</summary>
    public int MaxQueueSize { get; set; } = 10_000;

    /// <summary>Which record is dropped when the queue is full. Default <see cref="PanopticonOverflowPolicy.DropOldest"/>.</summary>
    public PanopticonOverflowPolicy OverflowPolicy { get; set; } = PanopticonOverflowPolicy.DropOldest;

    /// <summary>Time limit of one HTTP attempt. Default 10 seconds.</summary>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest time a batch that fails while the Producer accepts other batches is retried before it is given up (an outage does not count). Default 60 seconds.</summary>
    public TimeSpan MaxRetryDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Time allowed on shutdown to send everything still buffered: one budget for host stop, dispose and process exit,
    /// counted from the first of them. What is still unsent then is dropped, counted and reported. Default 5 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Retries of a batch that fails (408, 429, 5xx, network errors) while the Producer accepts other batches. While
    /// the Producer fails everything, batches are held and retried until it answers, without using these up. Default 5.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>Largest request body before compression; bigger batches are split. Default 4 MiB.</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Longest string value, in characters; longer values are cut and marked <c>…[truncated]</c>. Default 32 768.</summary>
    public int MaxValueLength { get; set; } = 32 * 1024;

    /// <summary>Request body compression. Default <see cref="PanopticonCompression.Gzip"/>.</summary>
    public PanopticonCompression Compression { get; set; } = PanopticonCompression.Gzip;

    /// <summary>
    /// A directory where every serialized batch is written before its first send attempt and deleted once the Producer
    /// has answered for good, so a killed process (SIGKILL, out of memory, a crash) or an outage longer than
    /// <see cref="MaxQueueSize"/> loses almost nothing: the next start sends what is left, with the same batch ids. Each
    /// signal uses a subdirectory (<c>logs</c>, <c>spans</c>); several processes may share the directory. From the
    /// environment: <c>PANOPTICON_BUFFER_DIRECTORY</c>. Default none: batches wait in memory.
    /// </summary>
    public string? BufferDirectory { get; set; }

    /// <summary>Largest size of the batch files per signal in <see cref="BufferDirectory"/>; beyond it the oldest batches are dropped (<c>buffer_full</c>). Default 50 MiB.</summary>
    public long MaxBufferBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Longest time a batch is kept in <see cref="BufferDirectory"/>; older ones are dropped (<c>expired</c>). Default 48 hours.</summary>
    public TimeSpan BufferRetention { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Allows plain <c>http://</c> endpoints on non-loopback hosts (the API key then travels unencrypted). Default <see langword="false"/>.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Sends <c>ILogger</c> lines as log records. Default <see langword="true"/>.</summary>
    public bool EnableLogTracking { get; set; } = true;

    /// <summary>Sends server spans of incoming ASP.NET Core requests (the application's other exporters get them either way). Default <see langword="true"/>.</summary>
    public bool EnableHttpTracking { get; set; } = true;

    /// <summary>Sends client spans of outgoing <c>HttpClient</c> calls (the application's other exporters get them either way). Default <see langword="true"/>.</summary>
    public bool EnableHttpClientTracking { get; set; } = true;

    /// <summary>Creates spans for EF Core database commands (with <c>AddEntityFrameworkCore()</c>). Default <see langword="true"/>.</summary>
    public bool EnableDbTracking { get; set; } = true;

    /// <summary>Least severe log level sent. Default <see cref="Microsoft.Extensions.Logging.LogLevel.Information"/>.</summary>
    public Microsoft.Extensions.Logging.LogLevel MinimumLogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Records the parameterised SQL of database spans (parameter values are never captured). Default <see langword="true"/>.</summary>
    public bool CaptureDbStatements { get; set; } = true;

    /// <summary>Request paths whose spans, and the spans inside them, are not sent (the application's other exporters still get them); matched by whole segments and case-insensitively (<c>/health</c> covers <c>/health/live</c>, not <c>/healthy</c>). Default <c>/health</c>, <c>/healthz</c>, <c>/alive</c>, <c>/ready</c>.</summary>
    public IList<string> IgnoredPaths { get; set; } = ["/health", "/healthz", "/alive", "/ready"];

    /// <summary>
    /// Names of the application's own <see cref="System.Diagnostics.ActivitySource"/>s whose spans are sent, besides the
    /// SDK's (<see cref="PanopticonTrace.SourceName"/>) and its integrations'. A trailing or inner <c>*</c> is a wildcard
    /// (<c>MyCompany.*</c>). From configuration: the <c>Panopticon:Sources</c> array. Default none.
    /// </summary>
    public IList<string> Sources { get; set; } = [];

    /// <summary>
    /// Label keys whose string values are sent as <c>REDACTED</c>: a key is redacted when it contains an entry,
    /// case-insensitively (<c>token</c> covers <c>X-Api-Token</c>; <c>session</c> covers <c>user.session_id</c>). Numbers and
    /// booleans are sent as they are (counts such as <c>llm_input_tokens</c>). Entries from configuration are added to the
    /// defaults; clear the list in code to replace them. Default <c>password</c>, <c>passwd</c>, <c>secret</c>,
    /// <c>token</c>, <c>api_key</c>, <c>apikey</c>, <c>authorization</c>, <c>cookie</c>, <c>set-cookie</c>,
    /// <c>session</c>, <c>credit_card</c>.
    /// </summary>
    public IList<string> RedactedLabelKeys { get; set; } =
        ["password", "passwd", "secret", "token", "api_key", "apikey", "authorization", "cookie", "set-cookie", "session", "credit_card"];

    /// <summary>
    /// Share of traces whose spans and logs are sent, from 0 to 1, decided once per trace when its first local span starts.
    /// A trace that is not sampled is held in memory until its local root span ends and sent whole if any of its spans
    /// ended with ERROR status (or a server span with status 500 or more) or it logged an error; otherwise it is dropped
    /// and counted as <c>sampled_out</c>. A trace whose caller sent a <c>traceparent</c> follows the caller's sampled
    /// flag instead. Default 1 (every trace).
    /// </summary>
    public double TracesSampleRatio { get; set; } = 1;

    /// <summary>
    /// Most traces per second sampled by <see cref="TracesSampleRatio"/> (traces kept for an error or by their caller's
    /// sampled flag are not limited). Default none.
    /// </summary>
    public double? MaxTracesPerSecond { get; set; }

    /// <summary>
    /// Most traces held in memory while they are not sampled and their local root span has not ended; beyond it, or
    /// beyond <see cref="MaxQueueSize"/> held records, the oldest is dropped and counted as <c>sampling_evicted</c>.
    /// Default 1 000.
    /// </summary>
    public int MaxPendingTraces { get; set; } = 1_000;

    /// <summary>
    /// Sends log lines at <see cref="Microsoft.Extensions.Logging.LogLevel.Warning"/> and above at once, even when their
    /// trace is not sampled. Default <see langword="false"/>: logs follow their trace.
    /// </summary>
    public bool AlwaysSendWarningLogs { get; set; }

    // Hooks are fields, not properties: code only, and the configuration binder's generator never looks at them.

    /// <summary>Span hooks added with <c>FilterSpans</c> and <c>EnrichSpans</c>, in order.</summary>
    internal readonly List<Func<PanopticonSpan, bool>> SpanHooks = [];

    /// <summary>Log hooks added with <c>FilterLogs</c> and <c>EnrichLogs</c>, in order.</summary>
    internal readonly List<Func<PanopticonLog, bool>> LogHooks = [];

    /// <summary>
    /// Sends only the spans for which <paramref name="keep"/> returns <see langword="true"/>; the others are counted as
    /// dropped (<c>filtered</c>). For a client without DI (<c>PanopticonClient.Create</c>); with DI, the builder's
    /// <c>FilterSpans</c> does the same. Hooks run on the export thread, in the order added, before redaction; one that
    /// throws drops nothing (<see cref="PanopticonStatistics.HookFailures"/>).
    /// </summary>
    public void FilterSpans(Func<PanopticonSpan, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        SpanHooks.Add(keep);
    }

    /// <summary>Lets <paramref name="enrich"/> add labels to, or change, every span before it is sent; see <see cref="FilterSpans"/>.</summary>
    public void EnrichSpans(Action<PanopticonSpan> enrich)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        SpanHooks.Add(span =>
        {
            enrich(span);
            return true;
        });
    }

    /// <summary>Sends only the log lines for which <paramref name="keep"/> returns <see langword="true"/>; see <see cref="FilterSpans"/>.</summary>
    public void FilterLogs(Func<PanopticonLog, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        LogHooks.Add(keep);
    }

    /// <summary>Lets <paramref name="enrich"/> add labels to, or change, every log line before it is sent; see <see cref="FilterSpans"/>.</summary>
    public void EnrichLogs(Action<PanopticonLog> enrich)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        LogHooks.Add(log =>
        {
            enrich(log);
            return true;
        });
    }

    /// <summary>When set, every response carries the request's trace id in this header (e.g. <c>X-Trace-Id</c>). Default none.</summary>
    public string? TraceIdResponseHeader { get; set; }
}
