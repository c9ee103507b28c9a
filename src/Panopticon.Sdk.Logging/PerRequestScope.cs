namespace Panopticon.Sdk.Logging;

/// <summary>
/// Whether <typeparamref name="TState"/> is the scope ASP.NET Core opens on every request (<c>RequestId</c>,
/// <c>RequestPath</c>) or Kestrel on every connection (<c>ConnectionId</c>). Those are not kept: a record already
/// carries the request's trace id, method and path, and keeping them would cost an async-local push per request and
/// two more labels on every line.
/// </summary>
/// <remarks>
/// Recognised by the keys the scope carries, not by its type's name, which trimming and Native AOT do not keep: a
/// non-generic key/value list whose keys are exactly <c>RequestId</c> and <c>RequestPath</c>, or exactly
/// <c>ConnectionId</c>. Decided from the first scope of each type (the framework's scope types always carry the same
/// keys), so later scopes cost one read. Generic types are never matched: a <c>List</c> of pairs the application
/// builds decides nothing for its other scopes.
/// </remarks>
internal static class PerRequestScope<TState>
    where TState : notnull
{
    private const int Unknown = 0;
    private const int Repeats = 1;
    private const int Kept = 2;

    // Written once, racing threads write the same answer.
    private static int s_decision;

    public static bool RepeatsTheRecord(TState state)
    {
        var decision = s_decision;
        if (decision == Unknown)
        {
            decision = Decide(state) ? Repeats : Kept;
            s_decision = decision;
        }

        return decision == Repeats;
    }

    private static bool Decide(TState state)
    {
        if (typeof(TState).IsGenericType || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return false;
        }

        try
        {
            return values.Count switch
            {
                1 => values[0].Key == "ConnectionId",
                2 => (values[0].Key, values[1].Key) is ("RequestId", "RequestPath") or ("RequestPath", "RequestId"),
                _ => false,
            };
        }
        catch (Exception)
        {
            // A scope whose list throws is the application's own: kept, as any other scope.
            return false;
        }
    }
}
