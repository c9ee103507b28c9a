using System.Collections.Concurrent;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// Reuses records: rented on the application's thread, returned by the engine once exported or dropped. Holds at most
/// what was alive at once (queue + batch + calls in flight), so it never grows past the queue's bound.
/// </summary>
internal sealed class RecordPool<T>(Func<T> create, Action<T> reset)
    where T : class
{
    private readonly ConcurrentQueue<T> _free = new();

    public T Rent() => _free.TryDequeue(out var record) ? record : create();

    public void Return(T record)
    {
        reset(record);
        _free.Enqueue(record);
    }
}
