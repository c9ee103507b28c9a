using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Copies scope values into the record's list, so the record no longer depends on scopes that end after the call.
/// <c>{OriginalFormat}</c> is skipped, and so are the ids the logging framework's activity tracking puts in a scope
/// (<c>TraceId</c>, <c>SpanId</c>, <c>ParentId</c>): the record carries them at top level already.
/// </summary>
internal static class LogAttributes
{
    private const string OriginalFormat = "{OriginalFormat}";
    private const string ScopeKey = "scope";

    private static readonly Action<object?, List<KeyValuePair<string, object?>>> AddScopeValues = AddScope;

    /// <summary>Appends the values of the active scopes (outermost first) to <paramref name="values"/>.</summary>
    public static void CollectScopes(List<KeyValuePair<string, object?>> values, ScopeWalk? forEachScope) =>
        forEachScope?.Invoke(AddScopeValues, values);

    private static void AddValue(KeyValuePair<string, object?> pair, List<KeyValuePair<string, object?>> values)
    {
        if (pair.Key is not (OriginalFormat or "TraceId" or "SpanId" or "ParentId"))
        {
            values.Add(pair);
        }
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
                    AddValue(list[i], values);
                }

                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var pair in pairs)
                {
                    AddValue(pair, values);
                }

                return;
            case IEnumerable<KeyValuePair<string, string?>> stringPairs:
                foreach (var pair in stringPairs)
                {
                    AddValue(new(pair.Key, pair.Value), values);
                }

                return;
            default:
                // A plain scope ("Processing order 42"), stringified on the export thread; the label writer keeps the first.
                values.Add(new(ScopeKey, scope));
                return;
        }
    }
}

/// <summary>A scope provider's <c>ForEachScope</c>, for the list a record collects scope values into.</summary>
internal delegate void ScopeWalk(Action<object?, List<KeyValuePair<string, object?>>> callback, List<KeyValuePair<string, object?>> values);
