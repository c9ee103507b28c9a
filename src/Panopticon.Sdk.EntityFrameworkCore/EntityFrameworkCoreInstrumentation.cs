using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Panopticon.Sdk.Diagnostics;

namespace Panopticon.Sdk.EntityFrameworkCore;

/// <summary>
/// Listens to EF Core's <c>Microsoft.EntityFrameworkCore</c> diagnostic events — process-wide, so every
/// <c>DbContext</c> is covered without touching its registration — and turns the command events into spans of
/// the <see cref="ActivitySourceName"/> source. Lives as long as the <c>TracerProvider</c> it belongs to.
/// </summary>
internal sealed class EntityFrameworkCoreInstrumentation : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    public const string ActivitySourceName = "Panopticon.Sdk.EntityFrameworkCore";

    private static readonly string Executing = RelationalEventId.CommandExecuting.Name!;
    private static readonly string Executed = RelationalEventId.CommandExecuted.Name!;
    private static readonly string Error = RelationalEventId.CommandError.Name!;
    private static readonly string Canceled = RelationalEventId.CommandCanceled.Name!;
    private static readonly string ReaderDisposing = RelationalEventId.DataReaderDisposing.Name!;

    private readonly object _lock = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ActivitySource _source = new(ActivitySourceName, SdkVersion.Current);
    private readonly CommandSpans _spans;
    private readonly IDisposable? _allListeners;
    private bool _disposed;

    public EntityFrameworkCoreInstrumentation(bool captureStatements, TimeProvider time)
    {
        _spans = new CommandSpans(_source, captureStatements, time);
        _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    internal CommandSpans Spans => _spans;

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _allListeners?.Dispose();
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
        }

        _spans.Clear();
        _source.Dispose();
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name != DbLoggerCategory.Name)
        {
            return;
        }

        lock (_lock)
        {
            if (!_disposed)
            {
                _subscriptions.Add(listener.Subscribe(this, IsWanted));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        try
        {
            switch (value.Value)
            {
                case CommandExecutedEventData executed when value.Key == Executed:
                    _spans.Executed(executed);
                    break;
                case CommandErrorEventData error when value.Key == Error:
                    _spans.Failed(error);
                    break;
                case CommandEndEventData canceled when value.Key == Canceled:
                    _spans.Cancelled(canceled);
                    break;
                case CommandEventData executing when value.Key == Executing:
                    _spans.Executing(executing);
                    break;
                case DataReaderDisposingEventData disposing when value.Key == ReaderDisposing:
                    _spans.ReaderDisposing(disposing);
                    break;
            }
        }
        catch (Exception exception)
        {
            // Telemetry never breaks a database call.
            PanopticonEventSource.Log.InternalError(nameof(EntityFrameworkCoreInstrumentation), exception.GetType().FullName ?? nameof(Exception));
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    // Only these events are raised for us, so EF builds no payload for the others.
    private static bool IsWanted(string name) =>
        name == Executing || name == Executed || name == Error || name == Canceled || name == ReaderDisposing;
}
