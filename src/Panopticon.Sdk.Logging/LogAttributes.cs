using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Copies structured state values and scope values into one list, so the record no longer depends on
/// objects the caller may reuse. <c>{OriginalFormat}</c> is skipped (the message is already formatted).
/// </summary>
internal static class LogAttributes
{
    private const string OriginalFormat = "{OriginalFormat}";
    private const string ScopeKey = "scope";

    public static List<KeyValuePair<string, object?>>? Collect<TState>(TState state, IExternalScopeProvider? scopes)
    {
        List<KeyValuePair<string, object?>>? values = null;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> stateValues && stateValues.Count > 0)
        {
            values = new List<KeyValuePair<string, object?>>(stateValues.Count + 4);
            for (var i = 0; i < stateValues.Count; i++)
            {
                var item = stateValues[i];
                if (item.Key != OriginalFormat)
                {
                    values.Add(item);
                }
            }
        }

        if (scopes is not null)
        {
            values ??= new List<KeyValuePair<string, object?>>(4);
            scopes.ForEachScope(static (scope, list) => AddScope(scope, list), values);
        }

        return values is { Count: > 0 } ? values : null;
    }

    private static void AddScope(object? scope, List<KeyValuePair<string, object?>> values)
    {
        switch (scope)
        {
            case null:
                return;
            case IReadOnlyList<KeyValuePair<string, object?>> list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i].Key != OriginalFormat)
                    {
                        values.Add(list[i]);
                    }
                }

                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var pair in pairs)
                {
                    values.Add(pair);
                }

                return;
            case IEnumerable<KeyValuePair<string, string?>> stringPairs:
                foreach (var pair in stringPairs)
                {
                    values.Add(new(pair.Key, pair.Value));
                }

                return;
            default:
                // A plain scope ("Processing order 42"), stringified on the export thread; the label writer keeps the first.
                values.Add(new(ScopeKey, scope));
                return;
        }
    }
}
