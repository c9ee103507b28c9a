using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Panopticon.Sdk.EntityFrameworkCore;

/// <summary>
/// The spans of the EF Core commands in flight, keyed by EF's command id. A span starts under the activity current
/// when its command starts but never becomes current itself, ends when the command completes (for readers: when
/// the reader is disposed, not at the first row), and <see cref="Activity.Current"/> is left exactly as it was.
/// </summary>
internal sealed class CommandSpans(ActivitySource source, bool captureStatements, TimeProvider time)
{
    // Bounds memory if a disposal event never comes (EF skips events for up to its logging cache time after a
    // listener subscribes): spans older than this are forgotten, unsent, when the table is full.
    private const int MaxInFlight = 4096;
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<Guid, Activity> _inFlight = new();

    public int InFlightCount => _inFlight.Count;

    public void Executing(CommandEventData data)
    {
        if (_inFlight.Count >= MaxInFlight && !ForgetStale())
        {
            return;
        }

        var previous = Activity.Current;
        var command = data.Command;
        var system = DbSystem.FromProvider(data.Context?.Database.ProviderName);
        var database = NullIfEmpty(command.Connection?.Database);
        var operation = SqlOperation.Of(command.CommandText);
        var name = operation is null ? database ?? system : database is null ? operation : operation + " " + database;

        var activity = source.CreateActivity(name, ActivityKind.Client);
        if (activity is null)
        {
            return; // nobody listens, or sampled out
        }

        activity.SetTag("db.system", system);
        activity.SetTag("db.name", database);
        activity.SetTag("db.operation", operation);
        if (captureStatements)
        {
            // The parameterised text only: parameter values are never read, and literal values written into the text
            // (a constant in a LINQ query, raw SQL without parameters) become '?'.
            activity.SetTag("db.statement", command.CommandText is { } text ? SqlLiterals.Scrub(text) : null);
        }

        activity.Start();
        Activity.Current = previous;
        if (!_inFlight.TryAdd(data.CommandId, activity))
        {
            Stop(activity);
        }
    }

    public void Executed(CommandExecutedEventData data)
    {
        // A reader's span lasts until the reader is disposed: reading rows is part of the command.
        if (data.ExecuteMethod != DbCommandMethod.ExecuteReader)
        {
            End(data.CommandId, error: null);
        }
    }

    public void ReaderDisposing(DataReaderDisposingEventData data) => End(data.CommandId, error: null);

    public void Failed(CommandErrorEventData data) => End(data.CommandId, data.Exception);

    public void Cancelled(CommandEndEventData data) => End(data.CommandId, new OperationCanceledException("The command was cancelled."));

    /// <summary>Forgets every span in flight (the subscription ends); they are not sent.</summary>
    public void Clear() => _inFlight.Clear();

    private void End(Guid commandId, Exception? error)
    {
        if (!_inFlight.TryRemove(commandId, out var activity))
        {
            return;
        }

        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.GetType().FullName);
            activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
            {
                { "exception.type", error.GetType().FullName },
                { "exception.message", error.Message },
                { "exception.stacktrace", error.ToString() },
            }));
        }

        Stop(activity);
    }

    private static void Stop(Activity activity)
    {
        // Activity.Stop makes the activity current at its start the current one again; the caller's flow may have
        // moved on since (or be another flow altogether), so whatever is current now stays current.
        var current = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(Activity.Current, current))
        {
            Activity.Current = current;
        }
    }

    private bool ForgetStale()
    {
        var cutoff = time.GetUtcNow().UtcDateTime - StaleAfter;
        foreach (var (id, activity) in _inFlight)
        {
            if (activity.StartTimeUtc < cutoff)
            {
                _inFlight.TryRemove(id, out _);
            }
        }

        return _inFlight.Count < MaxInFlight;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
