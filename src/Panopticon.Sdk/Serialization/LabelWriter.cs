using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Writes one record's flat <c>labels</c> object by the protocol's rules (<see cref="LabelRules"/>): the SDK's own keys,
/// then user values under their own names with a stable JSON type per key. Not thread-safe: one per serializer.
/// </summary>
/// <remarks>
/// The same few keys come on every record, so the rules run once per key, and their outcome is kept in a
/// <see cref="Label"/>: the key as written, its pre-encoded JSON name, its type, whether it is redacted, and a stamp for
/// "already written in this record". Two caches find it: by the key as the user gave it, and by the key as written.
/// </remarks>
internal sealed class LabelWriter(JsonFieldWriter fields, LabelTypeRegistry registry, LabelRedaction? redaction = null)
{
    private static readonly JsonEncodedText RedactedValue = JsonEncodedText.Encode(LabelRedaction.Value);
    private const int MaxCachedKeys = 10_000;
    private readonly KeyCache<Label?> _byRawKey = new(MaxCachedKeys);
    private readonly KeyCache<Label> _byKey = new(MaxCachedKeys);
    private int _record;

    public void Begin(Utf8JsonWriter writer)
    {
        writer.WriteStartObject(JsonNames.Labels);
        _record++;
    }

    public void End(Utf8JsonWriter writer) => writer.WriteEndObject();

    /// <summary>Writes one of the SDK's own string labels (see <see cref="LabelKeys"/>).</summary>
    public void WriteSdk(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null && ForKey(key) is var label && label.TryMarkWritten(_record))
        {
            WriteString(writer, label, value);
        }
    }

    /// <summary>Writes a user value (log state, scope, activity tag); never replaces an SDK key.</summary>
    public void WriteUser(Utf8JsonWriter writer, string rawKey, object? value)
    {
        if (value is not null && ForUserKey(rawKey) is { } label)
        {
            WriteUser(writer, label, value);
        }
    }

    /// <summary>Writes a record's user value (span tag, log message argument); never replaces an SDK key.</summary>
    public void WriteUser(Utf8JsonWriter writer, in RecordTag tag)
    {
        if (tag.HasValue && ForUserKey(tag.Key) is { } label)
        {
            WriteUser(writer, label, tag);
        }
    }

    /// <summary>
    /// Numbers and booleans straight from the record when the key has their type (no boxing); anything else as
    /// <see cref="WriteUser(Utf8JsonWriter, Label, object)"/> does.
    /// </summary>
    private void WriteUser(Utf8JsonWriter writer, Label label, in RecordTag tag)
    {
        if (tag.TryGetInt64(out var whole) && label.Resolve(registry, LabelType.Number) == LabelType.Number)
        {
            if (label.TryMarkWritten(_record))
            {
                writer.WriteNumber(label.Name, whole);
            }
        }
        else if (tag.TryGetDouble(out var real) && double.IsFinite(real) && label.Resolve(registry, LabelType.Number) == LabelType.Number)
        {
            if (label.TryMarkWritten(_record))
            {
                writer.WriteNumber(label.Name, real);
            }
        }
        else if (tag.TryGetBoolean(out var flag) && label.Resolve(registry, LabelType.Boolean) == LabelType.Boolean)
        {
            if (label.TryMarkWritten(_record))
            {
                writer.WriteBoolean(label.Name, flag);
            }
        }
        else if ((tag.StringValue ?? tag.Value) is { } value)
        {
            WriteUser(writer, label, value);
        }
    }

    /// <summary>Writes a user value under the label <see cref="ForUserKey"/> gave for its key.</summary>
    private void WriteUser(Utf8JsonWriter writer, Label label, object value)
    {
        var wanted = LabelRules.TypeOf(value);
        var type = label.Resolve(registry, wanted);
        if (type != wanted && type != LabelType.String)
        {
            // The key was first sent with another type: keep this value, as a string, beside it.
            label = label.StringVariant ??= ForKey(label.Key + LabelRules.StringVariantSuffix);
            type = label.Resolve(registry, LabelType.String);
            if (type != LabelType.String)
            {
                return;
            }
        }

        if (!label.TryMarkWritten(_record))
        {
            return;
        }

        if (type == LabelType.String)
        {
            if (label.IsRedacted)
            {
                writer.WriteString(label.Name, RedactedValue); // the value is not even turned into text
            }
            else if (LabelRules.TextOf(value) is { } text)
            {
                label.Value.Write(writer, label.Name, text, fields);
            }
            else
            {
                label.UnmarkWritten();
            }
        }
        else if (type == LabelType.Boolean)
        {
            writer.WriteBoolean(label.Name, (bool)value);
        }
        else
        {
            WriteNumber(writer, label.Name, value);
        }
    }

    /// <summary>The label a user key is written under (<see langword="null"/>: never written).</summary>
    private Label? ForUserKey(string rawKey)
    {
        if (_byRawKey.TryGet(rawKey, out var label))
        {
            return label;
        }

        label = LabelRules.UserKey(rawKey) is { } key ? ForKey(key) : null;
        _byRawKey.TryAdd(rawKey, label);
        return label;
    }

    /// <summary>The one <see cref="Label"/> of a key as written; beyond the cache bound a fresh one per record (still correct, slower).</summary>
    private Label ForKey(string key)
    {
        if (_byKey.TryGet(key, out var label))
        {
            return label;
        }

        label = new Label(key, redaction?.Matches(key) == true);
        if (!_byKey.TryAdd(key, label))
        {
            _overflow ??= [];
            if (_overflowRecord != _record)
            {
                _overflow.Clear();
                _overflowRecord = _record;
            }

            // Keys past the bound are deduplicated by name within the record instead.
            if (!_overflow.TryAdd(key, label))
            {
                label = _overflow[key];
            }
        }

        return label;
    }

    private Dictionary<string, Label>? _overflow;
    private int _overflowRecord;

    private void WriteString(Utf8JsonWriter writer, Label label, string value)
    {
        if (label.IsRedacted)
        {
            writer.WriteString(label.Name, RedactedValue);
        }
        else
        {
            label.Value.Write(writer, label.Name, value, fields);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText key, object value)
    {
        switch (value)
        {
            case int i: writer.WriteNumber(key, i); break;
            case long l: writer.WriteNumber(key, l); break;
            case ulong u: writer.WriteNumber(key, u); break;
            case decimal m: writer.WriteNumber(key, m); break;
            case double d: writer.WriteNumber(key, d); break;
            case float f: writer.WriteNumber(key, f); break;
            default: writer.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>One label key as written, with what was worked out about it.</summary>
    private sealed class Label(string key, bool isRedacted)
    {
        private LabelType? _type;
        private int _writtenIn;

        public string Key { get; } = key;

        public JsonEncodedText Name { get; } = JsonEncodedText.Encode(key, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

        public Label? StringVariant { get; set; }

        /// <summary>Whether the key is on the redaction list: its string values are sent as <c>REDACTED</c>.</summary>
        public bool IsRedacted { get; } = isRedacted;

        /// <summary>The label's string values (the same instance often comes on every record).</summary>
        public RepeatedValue Value { get; } = new();

        // The registry's answer for a key never changes once given (the first type seen wins, for good), so it is kept.
        public LabelType Resolve(LabelTypeRegistry registry, LabelType wanted) => _type ??= registry.Resolve(Key, wanted);

        public bool TryMarkWritten(int record)
        {
            if (_writtenIn == record)
            {
                return false;
            }

            _writtenIn = record;
            return true;
        }

        public void UnmarkWritten() => _writtenIn = 0;
    }
}
