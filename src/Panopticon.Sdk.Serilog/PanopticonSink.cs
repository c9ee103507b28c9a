using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace Panopticon.Sdk.Serilog;

/// <summary>
/// A Serilog sink that sends events to Panopticon through the same engine as the SDK's logging integration: the
/// same records, batching, limits, counters and flush. <c>Emit</c> never blocks and never throws.
/// </summary>
/// <remarks>
/// <para>The sink finds the Panopticon client in the application's container. Made by
/// <c>WriteTo.Panopticon(services)</c> or registered with <c>AddSerilog()</c>, it knows the container and looks the client
/// up on its first event. Made with <see cref="PanopticonSink()"/> for a logger built before the host (a bootstrap
/// logger), it keeps up to <see cref="MaxEventsBeforeBinding"/> events until <c>AddSerilog(sink)</c> connects it to the
/// host's client when the host starts; events beyond that are counted as dropped.</para>
/// <para>Use one sink per logger: <c>WriteTo.Panopticon(services)</c> and <c>ReadFrom.Services(services)</c> together
/// with <c>AddSerilog()</c> would send every event twice.</para>
/// </remarks>
public sealed class PanopticonSink : ILogEventSink
{
    /// <summary>How many events a sink made before the host keeps until it is connected to the client.</summary>
    public const int MaxEventsBeforeBinding = 1_000;

    private readonly object _gate = new();

    // Written once under _gate, read by every Emit.
    private volatile SerilogRecordWriter? _writer;
    private volatile bool _disabled;

    // Owned by _gate: the container to resolve the client from, and whether that is under way on this thread.
    private IServiceProvider? _services;
    private bool _resolving;

    // Events before the client is known; written by Emit, drained once by whoever resolves the client.
    private readonly ConcurrentQueue<LogEvent> _pending = new();
    private int _pendingCount;
    private long _droppedBeforeBinding;

    /// <summary>
    /// A sink for a logger built before the host (<c>WriteTo.Sink(sink)</c>); connect it with
    /// <c>AddPanopticonMonitoring(...).AddSerilog(sink)</c>.
    /// </summary>
    public PanopticonSink()
    {
    }

    /// <summary>A sink that resolves the client from <paramref name="services"/> on its first event.</summary>
    internal PanopticonSink(IServiceProvider services) => Bind(services);

    /// <summary>Hands <paramref name="logEvent"/> to the engine (or keeps it until the client is known).</summary>
    public void Emit(LogEvent logEvent)
    {
        if (_disabled || logEvent is null)
        {
            return;
        }

        if ((_writer ?? Resolve()) is { } writer)
        {
            writer.Write(logEvent, live: true);
            return;
        }

        Keep(logEvent);
    }

    /// <summary>Connects the sink to the client in <paramref name="services"/>; the first container wins.</summary>
    internal void Bind(IServiceProvider services)
    {
        lock (_gate)
        {
            _services ??= services;
        }

        // Marks the sink as connected for the startup check, then writes what was kept meanwhile.
        services.GetService<LogSources>()?.SerilogSinkConnected();
        if (!_pending.IsEmpty)
        {
            Resolve();
        }
    }

    private SerilogRecordWriter? Resolve()
    {
        SerilogRecordWriter? writer;
        lock (_gate)
        {
            if (_writer is null && !_disabled && _services is { } services && !_resolving)
            {
                // The client may log while it is being created; those events wait in the queue instead of recursing.
                _resolving = true;
                try
                {
                    var client = ResolveClient(services);
                    if (client is { IsEnabled: true, Options.EnableLogTracking: true })
                    {
                        _writer = new SerilogRecordWriter(client);
                    }
                    else
                    {
                        _disabled = true;
                    }
                }
                finally
                {
                    _resolving = false;
                }
            }

            writer = _writer;
        }

        if (writer is not null)
        {
            Drain(writer);
        }
        else if (_disabled)
        {
            _pending.Clear();
        }

        return writer;
    }

    private void Keep(LogEvent logEvent)
    {
        if (Interlocked.Increment(ref _pendingCount) > MaxEventsBeforeBinding)
        {
            Interlocked.Decrement(ref _pendingCount);
            Interlocked.Increment(ref _droppedBeforeBinding);
            return;
        }

        _pending.Enqueue(logEvent);

        // The client may have been resolved since this thread looked: then nobody else would drain this event.
        if (_writer is { } writer)
        {
            Drain(writer);
        }
    }

    private void Drain(SerilogRecordWriter writer)
    {
        while (_pending.TryDequeue(out var kept))
        {
            Interlocked.Decrement(ref _pendingCount);
            writer.Write(kept, live: false);
        }

        if (Interlocked.Exchange(ref _droppedBeforeBinding, 0) is var dropped and > 0)
        {
            writer.Client.CountLogsDropped(dropped);
        }
    }

    private static PanopticonClient? ResolveClient(IServiceProvider services)
    {
        try
        {
            return services.GetService<PanopticonClient>();
        }
        catch (Exception failure) when (failure is OptionsValidationException or InvalidOperationException or ObjectDisposedException)
        {
            // Invalid options fail the host at start with a message naming the option; the sink is not the one to throw.
            PanopticonEventSource.Log.InternalError(nameof(PanopticonSink), failure.GetType().FullName ?? nameof(Exception));
            return null;
        }
    }
}
