using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Copies scope values into the record's list, so the record no longer depends on scopes that end after the call.
/// The ids a scope may repeat (<c>TraceId</c>, <c>SpanId</c>, <c>ParentId</c>, as the logging framework's activity
/// tracking writes them) are skipped: the record carries them at top level. (<c>{OriginalFormat}</c> is copied; the
/// label writer never writes it.)
/// </summary>
internal static class LogAttributes
{
    private const string ScopeKey = "scope";

    private static void AddValue(KeyValuePair<string, object?> pair, List<KeyValuePair<string, object?>> values)
    {
        if (pair.Key is not ("TraceId" or "SpanId" or "ParentId"))
        {
            values.Add(pair);
        }
    }

    /// <summary>Appends the values of one scope's state (a list or sequence of pairs, or any other object as <c>scope</c>).</summary>
    public static void AddScope(object? scope, List<KeyValuePair<string, object?>> values)
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
