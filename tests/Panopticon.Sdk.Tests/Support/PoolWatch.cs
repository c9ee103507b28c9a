using System.Runtime.CompilerServices;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Tests.Support;

/// <summary>Watches a record pool: counts rents and returns and records every return of a record not out on rent.</summary>
internal sealed class PoolWatch<T> : IRecordPoolObserver<T>
    where T : class
{
    private readonly ConditionalWeakTable<T, StrongBox<int>> _out = new();
    private long _rented;
    private long _returned;
    private long _doubleReturns;
    private long _doubleRents;

    public long Rented => Interlocked.Read(ref _rented);

    public long Returned => Interlocked.Read(ref _returned);

    public long DoubleReturns => Interlocked.Read(ref _doubleReturns);

    public long DoubleRents => Interlocked.Read(ref _doubleRents);

    public void OnRented(T record)
    {
        Interlocked.Increment(ref _rented);
        if (Interlocked.Increment(ref _out.GetValue(record, _ => new StrongBox<int>()).Value) != 1)
        {
            Interlocked.Increment(ref _doubleRents); // handed out while still out: returned too early, or twice
        }
    }

    public void OnReturned(T record)
    {
        Interlocked.Increment(ref _returned);
        if (Interlocked.Decrement(ref _out.GetValue(record, _ => new StrongBox<int>()).Value) != 0)
        {
            Interlocked.Increment(ref _doubleReturns);
        }
    }
}
