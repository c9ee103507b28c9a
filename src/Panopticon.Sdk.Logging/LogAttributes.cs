using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Copies scope values into the record's list, so the record no longer depends on scopes that end after the call.
/// <c>{OriginalFormat}</c> is skipped.
/// </summary>
internal static class LogAttributes
{
    private const string OriginalFormat = "{OriginalFormat}";
    private const string ScopeKey = "scope";

    /// <summary>Appends the values of the active scopes (outermost first) to <paramref name="values"/>.</summary>
    public static void CollectScopes(List<KeyValuePair<string, object?>> values, IExternalScopeProvider? scopes) =>
        scopes?.ForEachScope(static (scope, list) => AddScope(scope, list), values);

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
