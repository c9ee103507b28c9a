using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Panopticon.Sdk.Engine;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Writes an ended span (<see cref="SpanRecord"/>) as a Producer span event, mapping OpenTelemetry semantic
/// conventions (old and new names) to the protocol's fields; every other tag becomes a label.
/// </summary>
/// <remarks>
/// Each tag key is looked up once (<see cref="KeyOf"/>) into a <see cref="TagKey"/> that says both which
/// field it fills and, for a user tag, its label; the answers are kept per key, so a record's keys cost a cache hit each.
/// </remarks>
internal sealed class SpanSerializer(ResourceFields resource, JsonFieldWriter fields, LabelWriter labels) : IRecordSerializer<SpanRecord>
{
    private const int MaxCachedKeys = 10_000;
    private readonly KeyCache<TagKey> _tagKeys = new(MaxCachedKeys);
    private readonly RepeatedValue _name = new();
    private readonly RepeatedValue _httpMethod = new();
    private TagKey[] _keysOfRecord = new TagKey[16]; // the record's tag keys in tag order, from the first pass to the labels

    public void Write(Utf8JsonWriter writer, SpanRecord span)
    {
        var spanTags = CollectionsMarshal.AsSpan(span.Tags);
        if (_keysOfRecord.Length < spanTags.Length)
        {
            _keysOfRecord = new TagKey[spanTags.Length];
        }

        var keys = _keysOfRecord.AsSpan(0, spanTags.Length);
        var tags = new SpanTags { ExceptionType = span.ExceptionType, ExceptionMessage = span.ExceptionMessage };
        for (var i = 0; i < spanTags.Length; i++)
        {
            var key = keys[i] = KeyOf(spanTags[i].Key);
            tags.Set(key.Field, spanTags[i]);
        }

        writer.WriteStartObject();
        resource.Write(writer, JsonNames.Span, span.StartTimeUtc);
        JsonFieldWriter.WriteIds(writer, span.TraceId, span.SpanId, withParent: true, span.ParentSpanId);

        _name.Write(writer, JsonNames.Name, span.Name, fields);
        writer.WriteString(JsonNames.Kind, span.Kind switch
        {
            ActivityKind.Server => JsonNames.Server,
            ActivityKind.Client => JsonNames.Client,
            _ => JsonNames.Internal,
        });
        WriteMilliseconds(writer, JsonNames.DurationMs, span.Duration);
        var isError = IsError(span, tags);
        writer.WriteString(JsonNames.Status, isError ? JsonNames.Error : JsonNames.Ok);
        if (tags.HttpMethod is not null)
        {
            _httpMethod.Write(writer, JsonNames.HttpMethod, tags.HttpMethod, fields: null); // written whole, as ever
        }

        var path = tags.UrlPath ?? (tags.UrlFull is null ? null : UrlRedactor.PathOf(tags.UrlFull));
        if (path is not null)
        {
            fields.WriteString(writer, JsonNames.HttpPath, path);
        }

        if (tags.HttpStatusCode is { } status)
        {
            writer.WriteNumber(JsonNames.HttpStatusCode, status);
        }

        labels.Begin(writer);
        labels.WriteSdk(writer, LabelKeys.HttpUrl, tags.UrlFull is null ? null : UrlRedactor.Redact(tags.UrlFull));
        labels.WriteSdk(writer, LabelKeys.HttpRoute, tags.HttpRoute);
        labels.WriteSdk(writer, LabelKeys.DbSystem, tags.DbSystem);
        labels.WriteSdk(writer, LabelKeys.DbName, tags.DbName);
        labels.WriteSdk(writer, LabelKeys.DbStatement, tags.DbStatement);
        labels.WriteSdk(writer, LabelKeys.DbOperation, tags.DbOperation);
        if (isError)
        {
            labels.WriteSdk(writer, LabelKeys.ErrorType, tags.ExceptionType ?? tags.ErrorType ?? tags.HttpStatusCode?.ToString(CultureInfo.InvariantCulture));
            labels.WriteSdk(writer, LabelKeys.ErrorMessage, NullIfEmpty(span.StatusDescription) ?? tags.ExceptionMessage);
        }

        if (span.Kind is ActivityKind.Producer or ActivityKind.Consumer)
        {
            labels.WriteSdk(writer, LabelKeys.SpanKind, span.Kind == ActivityKind.Producer ? "PRODUCER" : "CONSUMER");
        }

        for (var i = 0; i < spanTags.Length; i++)
        {
            ref readonly var tag = ref spanTags[i];
            if (keys[i].Field == SpanField.None && tag.HasValue && LabelOf(keys[i], tag.Key) is { } label)
            {
                labels.WriteUser(writer, label, tag);
            }
        }

        labels.End(writer);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Milliseconds with up to three decimals (microsecond precision), written digit by digit: formatting a
    /// <see cref="double"/> costs more than twice as much, and this runs for every span.
    /// </summary>
    internal static void WriteMilliseconds(Utf8JsonWriter writer, JsonEncodedText name, TimeSpan duration)
    {
        var micros = (Math.Max(duration.Ticks, 0) + 5) / 10; // half a microsecond rounds up
        Span<byte> digits = stackalloc byte[32];
        Utf8Formatter.TryFormat(micros / 1000, digits, out var length);
        var fraction = (int)(micros % 1000);
        if (fraction != 0)
        {
            digits[length++] = (byte)'.';
            for (var unit = 100; fraction != 0; unit /= 10)
            {
                digits[length++] = (byte)('0' + (fraction / unit));
                fraction %= unit;
            }
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(digits[..length], skipInputValidation: true);
    }

    private TagKey KeyOf(string key)
    {
        if (!_tagKeys.TryGet(key, out var tagKey))
        {
            tagKey = new TagKey(SpanTags.FieldOf(key));
            _tagKeys.TryAdd(key, tagKey);
        }

        return tagKey;
    }

    // The label is worked out on the key's first non-null value, as the label writer would for any user value.
    private LabelWriter.Label? LabelOf(TagKey key, string rawKey)
    {
        if (key.HasLabel)
        {
            return key.Label;
        }

        var label = labels.ForUserKey(rawKey, out var cached);
        if (cached)
        {
            key.Label = label;
            key.HasLabel = true;
        }

        return label;
    }

    private static bool IsError(SpanRecord span, in SpanTags tags) =>
        span.Status == ActivityStatusCode.Error
        || string.Equals(tags.OtelStatusCode, "ERROR", StringComparison.OrdinalIgnoreCase)
        || (span.Kind == ActivityKind.Server && tags.HttpStatusCode >= 500)
        || (span.Kind == ActivityKind.Client && tags.HttpStatusCode >= 400);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>What one tag key is to the wire format.</summary>
    private sealed class TagKey(SpanField field)
    {
        public SpanField Field { get; } = field;

        /// <summary>Whether <see cref="Label"/> has been worked out (for user tags only).</summary>
        public bool HasLabel { get; set; }

        public LabelWriter.Label? Label { get; set; }
    }
}
