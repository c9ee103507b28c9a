using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Writes one record's flat <c>labels</c> object: the SDK's own keys, then user values under their own
/// (sanitized) names with a stable JSON type per key. Not thread-safe: one per serializer.
/// </summary>
internal sealed class LabelWriter(JsonFieldWriter fields, LabelTypeRegistry registry)
{
    private const int MaxKeyLength = 128;
    private const int MaxCachedKeys = 1024;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    // Raw key -> key as written (sanitized, prefixed when reserved): the same few keys come on every record.
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    public void Begin(Utf8JsonWriter writer)
    {
        writer.WriteStartObject(JsonNames.Labels);
        _written.Clear();
    }

    public void End(Utf8JsonWriter writer) => writer.WriteEndObject();

    /// <summary>Writes one of the SDK's own string labels (see <see cref="LabelKeys"/>).</summary>
    public void WriteSdk(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null && _written.Add(key))
        {
            fields.WriteString(writer, key, value);
        }
    }

    /// <summary>Writes a user value (log state, scope, activity tag); never replaces an SDK key.</summary>
    public void WriteUser(Utf8JsonWriter writer, string rawKey, object? value)
    {
        if (value is null || rawKey == "{OriginalFormat}")
        {
            return;
        }

        var key = KeyFor(rawKey);
        if (key.Length == 0)
        {
            return;
        }

        var wanted = Classify(value);
        var type = registry.Resolve(key, wanted);
        if (type != wanted && type != LabelType.String)
        {
            // The key was first sent with another type: keep this value, as a string, beside it.
            key += "_str";
            type = registry.Resolve(key, LabelType.String);
            if (type != LabelType.String)
            {
                return;
            }
        }

        if (!_written.Add(key))
        {
            return;
        }

        if (type == LabelType.String)
        {
            if (Stringify(value) is { } text)
            {
                fields.WriteString(writer, key, text);
            }
            else
            {
                _written.Remove(key);
            }
        }
        else if (type == LabelType.Boolean)
        {
            writer.WriteBoolean(key, (bool)value);
        }
        else
        {
            WriteNumber(writer, key, value);
        }
    }

    private string KeyFor(string rawKey)
    {
        if (_keys.TryGetValue(rawKey, out var key))
        {
            return key;
        }

        key = Sanitize(rawKey);
        if (key.Length > 0 && LabelKeys.Reserved.Contains(key))
        {
            key = LabelKeys.UserPrefix + key;
        }

        if (_keys.Count < MaxCachedKeys)
        {
            _keys[rawKey] = key;
        }

        return key;
    }

    private static LabelType Classify(object value) => value switch
    {
        bool => LabelType.Boolean,
        byte or sbyte or short or ushort or int or uint or long or ulong or decimal => LabelType.Number,
        double d when double.IsFinite(d) => LabelType.Number,
        float f when float.IsFinite(f) => LabelType.Number,
        _ => LabelType.String,
    };

    private static void WriteNumber(Utf8JsonWriter writer, string key, object value)
    {
        switch (value)
        {
            case ulong u: writer.WriteNumber(key, u); break;
            case decimal m: writer.WriteNumber(key, m); break;
            case double d: writer.WriteNumber(key, d); break;
            case float f: writer.WriteNumber(key, f); break;
            default: writer.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string? Stringify(object value)
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
        // Dots would become nested objects in the search store, so the labels object stays flat.
        key = key.Trim();
        if (key.Length > MaxKeyLength)
        {
            key = key[..MaxKeyLength];
        }

        return key.AsSpan().IndexOfAny('.', ' ') < 0 ? key : key.Replace('.', '_').Replace(' ', '_');
    }
}
