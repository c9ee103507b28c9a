using System.Globalization;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Diagnostics;

/// <summary>
/// Tells the application, in its own log, when its telemetry does not get through: a rejected API key, a refused
/// payload, a Producer that cannot be reached or keeps failing, batches given up, records dropped from a full queue,
/// and what shutdown could not send. Each problem is written the first time it happens, then at most once a minute
/// while it lasts, with what was counted meanwhile; one INFO line says when the Producer accepts batches again.
/// </summary>
/// <remarks>
/// Writes to the <see cref="ILoggerFactory"/> of the application's container when there is one (resolved on first use:
/// the logging provider itself depends on the client), to stderr otherwise. The category, <see cref="Category"/>, is
/// under <c>Panopticon.Sdk</c>, which the Panopticon logger provider never exports, so these lines cannot feed
/// themselves. Called from the sender loops and its own timer, never from the application's logging or span threads.
/// </remarks>
internal sealed class ExportHealthReporter : IDisposable
{
    public const string Category = "Panopticon.Sdk.Export";

    /// <summary>Shortest time between two lines about the same problem.</summary>
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromMinutes(1);

    // How often the queues' drop counters are read (the application's threads only count; they never report).
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly AppLog _appLog;
    private readonly PanopticonOptions _options;
    private readonly Func<long> _pending;
    private readonly SignalCounters[] _queues;
    private readonly object _gate = new();
    private readonly Problem[] _problems = Enum.GetValues<ProblemKind>().Select(kind => new Problem(kind)).ToArray();
    private readonly ITimer? _poll;
    private long _queueFullReported;
    private DateTimeOffset? _failingSince; // set by a rejected key or an outage; cleared (with an INFO line) by the next accepted batch
    private volatile bool _failing;

    public ExportHealthReporter(PanopticonOptions options, TimeProvider time, Func<ILoggerFactory?>? loggerFactory, Func<long> pending, params SignalCounters[] queues)
    {
        _options = options;
        _time = time;
        _appLog = new AppLog(loggerFactory);
        _pending = pending;
        _queues = queues;
        if (queues.Length > 0)
        {
            _poll = time.CreateTimer(_ => OnTick(), null, PollInterval, PollInterval);
        }
    }

    private enum ProblemKind
    {
        KeyRejected,
        PayloadRefused,
        ProducerDown,
        GivenUp,
        QueueFull,
    }

    /// <summary>A batch was accepted: ends a rejected-key or outage episode with one INFO line.</summary>
    public void OnAccepted(TelemetrySignal signal)
    {
        if (!_failing)
        {
            return; // the usual case: one volatile read per accepted batch
        }

        string? line = null;
        lock (_gate)
        {
            if (_failingSince is { } since)
            {
                line = $"Panopticon: the Producer at {HostOf(signal)} accepts batches again after {Duration(_time.GetUtcNow() - since)}; held records are being sent.";
                _failingSince = null;
                _failing = false;
                _problems[(int)ProblemKind.KeyRejected].Reset();
                _problems[(int)ProblemKind.ProducerDown].Reset();
            }
        }

        Write(LogLevel.Information, line);
    }

    /// <summary>The Producer answered 401 or 403 to <paramref name="records"/> records.</summary>
    public void OnKeyRejected(TelemetrySignal signal, int statusCode, long records) =>
        Note(ProblemKind.KeyRejected, records, $"HTTP {statusCode.ToString(CultureInfo.InvariantCulture)} from {HostOf(signal)}");

    /// <summary>The Producer refused <paramref name="records"/> records for what they are (400, or 413 for one record).</summary>
    public void OnPayloadRefused(TelemetrySignal signal, int statusCode, string? reason, long records) =>
        Note(ProblemKind.PayloadRefused, records, $"HTTP {statusCode.ToString(CultureInfo.InvariantCulture)} from {HostOf(signal)}" + (reason is null ? string.Empty : $": \"{reason}\""));

    /// <summary>An attempt failed while nothing gets through: the batch is held in the circuit.</summary>
    public void OnHeld(TelemetrySignal signal, PanopticonFailureKind kind, string reason) =>
        Note(ProblemKind.ProducerDown, 1, $"{HostOf(signal)} {(kind == PanopticonFailureKind.ProducerUnreachable ? "is unreachable" : "is failing")} ({reason})");

    /// <summary>A batch kept failing while others were accepted and was given up.</summary>
    public void OnGivenUp(long records, string? reason) => Note(ProblemKind.GivenUp, records, reason ?? "unknown");

    /// <summary>
    /// A filter or enrich hook of the application's threw, the first time for its signal: one line with the exception;
    /// later failures are only counted.
    /// </summary>
    public void OnHookFailed(string signal, Exception exception) =>
        Write(
            LogLevel.Warning,
            $"Panopticon: a {signal} hook threw {exception.GetType().FullName}; the {signal} was sent without the hooks' changes. Later failures are not reported, only counted (Statistics.HookFailures).",
            exception);

    /// <summary>Shutdown ran out of time: one line with what could not be sent.</summary>
    public void OnShutdownDropped(long logs, long spans)
    {
        if (logs + spans > 0)
        {
            Write(
                LogLevel.Warning,
                $"Panopticon: shutdown used its whole ShutdownTimeout ({Duration(_options.ShutdownTimeout)}); {RecordCount(logs + spans)} ({logs} logs, {spans} spans) could not be sent and were dropped.");
        }
    }

    public void Dispose() => _poll?.Dispose();

    private void OnTick()
    {
        try
        {
            var queueFull = _queues.Sum(q => q.DroppedFor(DropReason.QueueFull));
            var added = queueFull - Interlocked.Exchange(ref _queueFullReported, queueFull);
            if (added > 0)
            {
                Note(ProblemKind.QueueFull, added, null);
            }

            List<string> lines = [];
            lock (_gate)
            {
                foreach (var problem in _problems)
                {
                    if (problem.Count > 0 && TakeLine(problem, _time.GetUtcNow()) is { } line)
                    {
                        lines.Add(line);
                    }
                }
            }

            lines.ForEach(line => Write(LogLevel.Warning, line));
        }
        catch (Exception exception)
        {
            PanopticonEventSource.Log.InternalError(nameof(ExportHealthReporter), exception.GetType().FullName ?? "Exception");
        }
    }

    private void Note(ProblemKind kind, long count, string? detail)
    {
        string? line;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (kind is ProblemKind.KeyRejected or ProblemKind.ProducerDown)
            {
                _failingSince ??= now;
                _failing = true;
            }

            var problem = _problems[(int)kind];
            problem.Count += count;
            problem.Detail = detail ?? problem.Detail;
            line = TakeLine(problem, now);
        }

        Write(LogLevel.Warning, line);
    }

    /// <summary>The problem's line if one is due (the first, or a minute after the last), resetting its count.</summary>
    private string? TakeLine(Problem problem, DateTimeOffset now)
    {
        var first = problem.LastLineAt is null;
        if (!first && now - problem.LastLineAt < RepeatInterval)
        {
            return null;
        }

        var since = first ? string.Empty : " since the last report";
        var count = problem.Count;
        problem.Count = 0;
        problem.LastLineAt = now;
        problem.FirstAt ??= now;
        return problem.Kind switch
        {
            ProblemKind.KeyRejected =>
                $"Panopticon: the Producer rejected the API key ({problem.Detail}); {RecordCount(count)} not sent{since}. Check Panopticon:ApiKey or PANOPTICON_API_KEY.",
            ProblemKind.PayloadRefused =>
                $"Panopticon: the Producer refused a payload ({problem.Detail}); {RecordCount(count)} not sent{since}.",
            ProblemKind.ProducerDown when first =>
                $"Panopticon: the Producer at {problem.Detail}; {RecordCount(_pending())} held in memory until it answers (beyond MaxQueueSize, {_options.MaxQueueSize} per signal, the oldest are dropped).",
            ProblemKind.ProducerDown =>
                $"Panopticon: no batch accepted for {Duration(now - problem.FirstAt.Value)}: the Producer at {problem.Detail}; {count} failed attempts since the last report; {RecordCount(_pending())} held.",
            ProblemKind.GivenUp =>
                $"Panopticon: {RecordCount(count)} given up{since} after repeated failures ({problem.Detail}) while the Producer accepted other batches.",
            _ =>
                $"Panopticon: {RecordCount(count)} dropped{since} because the queue was full (MaxQueueSize {_options.MaxQueueSize} per signal): the Producer is unreachable or slower than the application writes.",
        };
    }

    private void Write(LogLevel level, string? line, Exception? exception = null)
    {
        if (line is not null)
        {
            _appLog.Write(level, line, exception);
        }
    }

    private string HostOf(TelemetrySignal signal)
    {
        var url = (signal == TelemetrySignal.Logs ? _options.LogEndpoint : _options.TraceEndpoint) ?? _options.Endpoint;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : url;
    }

    private static string RecordCount(long count) => count == 1 ? "1 record" : $"{count} records";

    private static string Duration(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 120 } => $"{duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
        { TotalMinutes: < 120 } => $"{(int)duration.TotalMinutes} min",
        _ => $"{duration.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h",
    };

    /// <summary>One kind of problem: what was counted since its last line, and when that line was written.</summary>
    private sealed class Problem(ProblemKind kind)
    {
        public ProblemKind Kind { get; } = kind;

        public long Count { get; set; }

        public string? Detail { get; set; }

        public DateTimeOffset? LastLineAt { get; set; }

        public DateTimeOffset? FirstAt { get; set; }

        public void Reset()
        {
            Count = 0;
            LastLineAt = null;
            FirstAt = null;
        }
    }
}
