using System.Collections;
using System.Globalization;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// The wire protocol's rules for a record's flat <c>labels</c> object. <see cref="LabelWriter"/> applies them (once per
/// key, then from its cache):
/// <list type="number">
/// <item><b>Keys</b>: trimmed and cut to 128 characters; dots and spaces become underscores (the search store would
/// nest dotted keys). An empty key is never written, nor is the logging framework's <c>{OriginalFormat}</c>. A user key
/// equal to one of the SDK's own (<see cref="LabelKeys"/>) is prefixed with <c>attr_</c>, never replacing it.</item>
/// <item><b>Values</b>: integers, decimals and finite floating-point numbers are JSON numbers, booleans are booleans,
/// anything else is text: dates as ISO-8601 UTC, other formattable values in the invariant culture, sequences joined
/// with <c>", "</c>. A value whose <c>ToString()</c> throws is left out.</item>
/// <item><b>Types</b>: a key keeps the JSON type it was first sent with (the store maps each key to one type); a value
/// of another type is sent as text under the key plus <c>_str</c>.</item>
/// <item><b>Redaction</b>: string values of keys on the redaction list (<see cref="LabelRedaction"/>) are sent as
/// <c>REDACTED</c>; numbers and booleans are kept.</item>
/// <item><b>One value per key</b> in a record: the first one written wins; strings are truncated to
/// <c>MaxValueLength</c>.</item>
/// </list>
/// </summary>
internal static class LabelRules
{
    public const int MaxKeyLength = 128;

    /// <summary>Where a value goes whose type differs from its key's first one (rule 3).</summary>
    public const string StringVariantSuffix = "_str";

    private const string OriginalFormat = "{OriginalFormat}";

    /// <summary>The key a user value is written under (rule 1); <see langword="null"/>: never written.</summary>
    public static string? UserKey(string rawKey)
    {
        if (rawKey == OriginalFormat)
        {
            return null;
        }

        var key = Sanitize(rawKey);
        if (key.Length == 0)
        {
            return null;
        }

        return LabelKeys.Reserved.Contains(key) ? LabelKeys.UserPrefix + key : key;
    }

    /// <summary>The JSON type a value is sent as (rule 2).</summary>
    public static LabelType TypeOf(object value) => value switch
    {
        string => LabelType.String, // most values: decided by the first test
        bool => LabelType.Boolean,
        byte or sbyte or short or ushort or int or uint or long or ulong or decimal => LabelType.Number,
        double d when double.IsFinite(d) => LabelType.Number,
        float f when float.IsFinite(f) => LabelType.Number,
        _ => LabelType.String,
    };

    /// <summary>A value as text (rule 2); <see langword="null"/> when its <c>ToString()</c> throws.</summary>
    public static string? TextOf(object value)
    {
        try
        {
            return value switch
            {
                string s => s,
                DateTime dt => dt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                DateTimeOffset dto => dto.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                IEnumerable items => string.Join(", ", items.Cast<object?>().Select(i => i is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : i?.ToString())),
                _ => value.ToString(),
            };
        }
        catch (Exception)
        {
            return null; // A user's ToString() that throws costs that one label, nothing else.
        }
    }

    private static string Sanitize(string key)
    {
        key = key.Trim();
        if (key.Length > MaxKeyLength)
        {
            key = key[..MaxKeyLength];
        }

        return key.AsSpan().IndexOfAny('.', ' ') < 0 ? key : key.Replace('.', '_').Replace(' ', '_');
    }
}
