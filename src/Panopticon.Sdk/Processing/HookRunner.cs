using Panopticon.Sdk.Diagnostics;

namespace Panopticon.Sdk;

/// <summary>
/// Runs the application's hooks of one signal over a record's view, in the order they were added, on the export
/// thread. A hook that throws drops nothing: the record goes out unchanged, the failure is counted and the first one is
/// reported through the SDK's event source and <paramref name="firstFailure"/> (the application's log). Not thread-safe:
/// one per serializer.
/// </summary>
internal sealed class HookRunner<TView>(string signal, IReadOnlyList<Func<TView, bool>> hooks, Action<string, Exception>? firstFailure = null)
{
    private long _failures; // written by the export thread, read by statistics snapshots

    public long Failures => Volatile.Read(ref _failures);

    public HookOutcome Run(TView view)
    {
        try
        {
            foreach (var hook in hooks)
            {
                if (!hook(view))
                {
                    return HookOutcome.Drop;
                }
            }

            return HookOutcome.Keep;
        }
        catch (Exception exception)
        {
            if (Interlocked.Increment(ref _failures) == 1)
            {
                PanopticonEventSource.Log.HookFailed(signal, exception.GetType().FullName ?? "Exception");
                firstFailure?.Invoke(signal, exception);
            }

            return HookOutcome.Failed;
        }
    }
}

/// <summary>What the hooks decided for one record.</summary>
internal enum HookOutcome
{
    /// <summary>Every hook returned and kept it: their changes apply.</summary>
    Keep,

    /// <summary>A filter returned <see langword="false"/>: not sent.</summary>
    Drop,

    /// <summary>A hook threw: sent as it was, without any hook's changes.</summary>
    Failed,
}
