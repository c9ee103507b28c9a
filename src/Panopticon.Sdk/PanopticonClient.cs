using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Configuration;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Pipeline;
using Panopticon.Sdk.Sampling;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Storage;
using Panopticon.Sdk.Tracing;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk;

/// <summary>
/// The engine's owner: two signal pipelines (logs, spans) sharing one transport. Starts with its first
/// record, so telemetry written before the host starts is kept; on shutdown sends what is buffered within
/// <see cref="PanopticonOptions.ShutdownTimeout"/>. With DI, resolve <see cref="IPanopticonClient"/> instead.
/// </summary>
public sealed class PanopticonClient : IPanopticonClient
{
    private readonly SignalPipeline<LogRecord>? _logs;
    private readonly SignalPipeline<SpanRecord>? _spans;
    private readonly ITelemetryTransport? _transport;
    private readonly SdkMeter? _meter;
    private readonly ExportHealthReporter? _health;
    private readonly HookRunner<PanopticonLog>? _logHooks;
    private readonly HookRunner<PanopticonSpan>? _spanHooks;
    private readonly TraceSampling? _sampling;
    private readonly TimeProvider _time;
    private readonly RecordPool<LogRecord> _logRecords = new(() => new LogRecord(pooled: true));
    private readonly RecordPool<SpanRecord> _spanRecords = new(() => new SpanRecord());
    private readonly object _stopLock = new();
    private Task? _stopped;
    private IDisposable? _ownTracing; // a client created without DI listens to its sources itself (ClientTracing)
    private CancellationTokenSource? _shutdownBudget;

    // loggerFactory is asked for the application's logging only when the SDK first has something to tell it;
    // samplingRandom replaces the sampler's random draws in tests (a seeded source).
    internal PanopticonClient(PanopticonOptions options, TimeProvider? time = null, ITelemetryTransport? transport = null, Func<ILoggerFactory?>? loggerFactory = null, Func<double>? samplingRandom = null)
    {
        Options = options;
        _time = time ?? TimeProvider.System;
        if (!options.Enabled)
        {
            transport?.Dispose();
            return;
        }

        _transport = transport ?? new HttpTransport(options, _time);
        var fields = new JsonFieldWriter(options.MaxValueLength);
        var resource = new ResourceFields(fields, options.ServiceName ?? "unknown_service", options.Environment);
        var labelTypes = new LabelTypeRegistry(LabelKeys.Reserved);
        var redaction = new LabelRedaction(options.RedactedLabelKeys);
        var logCounters = new SignalCounters();
        var spanCounters = new SignalCounters();
        var dropReporter = new DropReporter(logCounters, spanCounters, _time, options.FlushInterval);
        _health = new ExportHealthReporter(options, _time, loggerFactory, () => BufferSize, logCounters, spanCounters);
        _logHooks = options.LogHooks.Count > 0 ? new HookRunner<PanopticonLog>("log", [.. options.LogHooks], _health.OnHookFailed) : null;
        _spanHooks = options.SpanHooks.Count > 0 ? new HookRunner<PanopticonSpan>("span", [.. options.SpanHooks], _health.OnHookFailed) : null;
        var buffer = DiskBuffer.From(options, _time, loggerFactory);
        _logs = new SignalPipeline<LogRecord>(
            TelemetrySignal.Logs, options, new LogRecordSerializer(resource, fields, new LabelWriter(fields, labelTypes, redaction), _logHooks), _transport, _time, logCounters, _health, dropReporter.TryCreateReport, _logRecords.Return,
            buffer is null ? null : accounting => buffer.CreateStore(TelemetrySignal.Logs, accounting));
        _spans = new SignalPipeline<SpanRecord>(
            TelemetrySignal.Spans, options, new SpanSerializer(resource, fields, new LabelWriter(fields, labelTypes, redaction), _spanHooks), _transport, _time, spanCounters, _health, release: _spanRecords.Return,
            store: buffer is null ? null : accounting => buffer.CreateStore(TelemetrySignal.Spans, accounting));
        _meter = new SdkMeter(logCounters, spanCounters, () => BufferSize);
        _sampling = new TraceSampling(this, options, new TraceSampler(options, _time, samplingRandom));
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>
    /// Creates a client without dependency injection (console apps, tests). Options left unset are filled from
    /// the <c>PANOPTICON_*</c> environment variables. Dispose it (or let the process exit) to send what is buffered.
    /// The client sends the spans of <see cref="PanopticonTrace.StartSpan"/> and of <see cref="PanopticonOptions.Sources"/>;
    /// log through it with <c>client.CreateLogger(category)</c> (package <c>Panopticon.Sdk.Logging</c>).
    /// </summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public static PanopticonClient Create(Action<PanopticonOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Create(configure, transport: null, time: null);
    }

    /// <inheritdoc />
    public int BufferSize => (int)Math.Max(0, (_logs?.Counters.Pending ?? 0) + (_spans?.Counters.Pending ?? 0));

    /// <inheritdoc />
    public PanopticonStatistics Statistics => Snapshot();

    internal PanopticonOptions Options { get; }

    internal bool IsEnabled => _logs is not null;

    internal System.Diagnostics.Metrics.Meter? Meter => _meter?.Meter;

    /// <inheritdoc />
    public async Task<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_logs is null || _spans is null)
        {
            return new FlushResult(true, 0, 0, 0);
        }

        var before = Snapshot();
        var completed = true;
        try
        {
            await Task.WhenAll(_logs.FlushAsync(cancellationToken), _spans.FlushAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            completed = false;
        }

        var after = Snapshot();
        return new FlushResult(completed, after.Sent - before.Sent, after.Failed - before.Failed, EngineDropped(after) - EngineDropped(before));

        // Traces that sampling leaves out are not lost by the flush.
        static long EngineDropped(PanopticonStatistics s) =>
            s.Dropped - s.DroppedByReason[PanopticonStatistics.SampledOut] - s.DroppedByReason[PanopticonStatistics.SamplingEvicted];
    }

    /// <summary>Sends what is buffered (within <see cref="PanopticonOptions.ShutdownTimeout"/>) and stops.</summary>
    public ValueTask DisposeAsync() => new(ShutdownAsync());

    /// <summary>Sends what is buffered (within <see cref="PanopticonOptions.ShutdownTimeout"/>) and stops; blocks meanwhile.</summary>
    public void Dispose() => ShutdownAsync().GetAwaiter().GetResult();

    internal static PanopticonClient Create(Action<PanopticonOptions> configure, ITelemetryTransport? transport, TimeProvider? time, ILoggerFactory? logging = null)
    {
        var options = new PanopticonOptions();
        configure(options);
        new EnvironmentVariableDefaults().PostConfigure(Microsoft.Extensions.Options.Options.DefaultName, options);
        var validation = new PanopticonOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (validation.Failed)
        {
            transport?.Dispose();
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(PanopticonOptions), validation.Failures);
        }

        var client = new PanopticonClient(options, time, transport, logging is null ? null : () => logging);
        client._ownTracing = ClientTracing.Start(client);
        return client;
    }

    /// <summary>The pools of log and span records (tests watch them).</summary>
    internal RecordPool<LogRecord> LogRecordPool => _logRecords;

    internal RecordPool<SpanRecord> SpanRecordPool => _spanRecords;

    /// <summary>The queues between the application's threads and the batch loops (a benchmark drains them like a no-op exporter).</summary>
    internal RecordQueue<LogRecord>? LogQueue => _logs?.Queue;

    internal RecordQueue<SpanRecord>? SpanQueue => _spans?.Queue;

    /// <summary>
    /// Where the span processor and the loggers hand their records while the SDK is enabled: it sends them, or holds
    /// those of a trace that is not sampled until the trace's local root span ends.
    /// </summary>
    internal TraceSampling? Sampling => _sampling;

    /// <summary>A span record to fill and hand to <see cref="TryWriteSpan(SpanRecord)"/>.</summary>
    internal SpanRecord RentSpanRecord() => _spanRecords.Rent();

    /// <summary>Hands a span record copied earlier (a held trace's) to the engine; never blocks or throws.</summary>
    internal bool TryWriteSpan(SpanRecord record)
    {
        if (_spans is null)
        {
            _spanRecords.Return(record);
            return false;
        }

        return _spans.Queue.TryEnqueue(record);
    }

    /// <summary>A log record to fill and hand to <see cref="TryWriteLog"/>; the engine returns it to its pool once exported or dropped.</summary>
    internal LogRecord RentLogRecord() => _logRecords.Rent();

    /// <summary>Hands a log record to the engine; never blocks or throws.</summary>
    internal bool TryWriteLog(LogRecord record) => _logs?.Queue.TryEnqueue(record) ?? false;

    /// <summary>
    /// Counts log lines that were accepted and dropped before they could reach the engine (a sink's bounded buffer
    /// before the client existed): they show in <see cref="Statistics"/> and in the next drop report.
    /// </summary>
    internal void CountLogsDropped(long count) => CountLogsDropped(DropReason.QueueFull, count);

    /// <summary>
    /// Takes back a log record whose capture threw (the app's formatter, ToString or scope enumerator): counted as
    /// accepted and dropped as <c>unserializable</c>, so the line shows in <see cref="Statistics"/> and the drop report.
    /// </summary>
    internal void DropUncapturedLog(LogRecord record)
    {
        _logRecords.Return(record);
        CountLogsDropped(DropReason.Unserializable, 1);
    }

    // Log lines that never reached the queue: counted as accepted and dropped, so the totals still add up.
    private void CountLogsDropped(DropReason reason, long count)
    {
        if (_logs is { } logs && count > 0)
        {
            logs.Counters.OnAccepted(count);
            logs.Counters.OnDropped(reason, count);
        }
    }

    /// <summary>Hands an ended activity to the engine; never blocks or throws.</summary>
    internal bool TryWriteSpan(Activity activity)
    {
        if (_spans is null)
        {
            return false;
        }

        // Copied now, so the activity is not kept alive while it waits for its batch.
        var record = _spanRecords.Rent();
        record.CopyFrom(activity);
        return _spans.Queue.TryEnqueue(record);
    }

    /// <summary>
    /// On host stop: sends what is buffered without stopping (records written later, during disposal, still go out).
    /// If the shutdown budget runs out first, stops at once: nothing is left to wait for at disposal.
    /// </summary>
    internal async Task FlushForShutdownAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ShutdownBudget(), cancellationToken);
        var result = await FlushAsync(linked.Token).ConfigureAwait(false);
        if (!result.Completed)
        {
            await ShutdownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One <see cref="PanopticonOptions.ShutdownTimeout"/> for everything done on stop (host stop, dispose, process
    /// exit), counted from the first of them. Wall-clock time on purpose: shutdown must end even when the app's
    /// TimeProvider is a test fake nobody advances.
    /// </summary>
    private CancellationToken ShutdownBudget()
    {
        lock (_stopLock)
        {
            _shutdownBudget ??= new CancellationTokenSource(Options.ShutdownTimeout);
            return _shutdownBudget.Token;
        }
    }

    private Task ShutdownAsync()
    {
        lock (_stopLock)
        {
            return _stopped ??= StopAsync();
        }
    }

    private async Task StopAsync()
    {
        if (_logs is null || _spans is null)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            _ownTracing?.Dispose(); // first, so spans ending now still reach the engine before it stops
            _sampling?.DropPending(); // traces still held never ended: nothing will decide them
            var budget = ShutdownBudget();
            await Task.WhenAll(_logs.StopAsync(budget), _spans.StopAsync(budget)).ConfigureAwait(false);
            _health?.OnShutdownDropped(_logs.Counters.DroppedFor(DropReason.Shutdown), _spans.Counters.DroppedFor(DropReason.Shutdown));
        }
        catch (Exception exception)
        {
            PanopticonEventSource.Log.InternalError(nameof(StopAsync), exception.GetType().FullName ?? "Exception");
        }
        finally
        {
            _health?.Dispose();
            _shutdownBudget?.Dispose();
            _meter?.Dispose();
            _transport?.Dispose();
            _logs.Dispose();
            _spans.Dispose();
        }
    }

    // ProcessExit gives no async context and a few seconds at most: block for the bounded shutdown.
    internal void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private PanopticonStatistics Snapshot()
    {
        SignalCounters[] all = _logs is null || _spans is null ? [] : [_logs.Counters, _spans.Counters];
        var lastFailure = all.Select(c => c.LastFailure).Where(f => f is not null).MaxBy(f => f!.Value.At);
        var sampling = _sampling?.Counters;
        var dropped = DropReasonNames.All.ToDictionary(r => r.ToLabel(), r => all.Sum(c => c.DroppedFor(r)));

        // Records sampling dropped never reached the engine: counted here as accepted and dropped, so the totals add up.
        dropped[PanopticonStatistics.SampledOut] = sampling?.SampledOutRecords ?? 0;
        dropped[PanopticonStatistics.SamplingEvicted] = sampling?.EvictedRecords ?? 0;
        return new PanopticonStatistics(
            all.Sum(c => c.Accepted) + (sampling is null ? 0 : sampling.SampledOutRecords + sampling.EvictedRecords),
            all.Sum(c => c.Sent),
            all.Sum(c => c.Failed),
            all.Sum(c => c.Retried),
            all.Sum(c => c.Batches),
            all.Sum(c => c.Bytes),
            dropped,
            all.Max(c => c.LastSuccessAt),
            lastFailure?.At,
            lastFailure?.Kind,
            (_logHooks?.Failures ?? 0) + (_spanHooks?.Failures ?? 0),
            sampling)
        {
            StoredBatches = (_logs?.Stored.Batches ?? 0) + (_spans?.Stored.Batches ?? 0),
            StoredBytes = (_logs?.Stored.Bytes ?? 0) + (_spans?.Stored.Bytes ?? 0),
        };
    }
}
