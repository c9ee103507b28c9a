using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Writes an ended span (<see cref="SpanRecord"/>) as a Producer span event, mapping OpenTelemetry semantic
/// conventions (old and new names) to the protocol's fields; every other tag becomes a label.
/// </summary>
/// <remarks>
/// Which field a tag key fills is worked out once per key (<see cref="FieldOf"/>) and kept, so a record's keys cost a
/// cache hit each; the label of a user tag comes from the label writer's own cache.
/// </remarks>
internal sealed class SpanSerializer(ResourceFields resource, JsonFieldWriter fields, LabelWriter labels, HookRunner<PanopticonSpan>? hooks = null) : IRecordSerializer<SpanRecord>
{
    private readonly PanopticonSpan _view = new();
    private const int MaxCachedKeys = 10_000;
    private readonly KeyCache<SpanField> _fields = new(MaxCachedKeys);
    private readonly RepeatedValue _name = new();
    private readonly RepeatedValue _httpMethod = new();
    private SpanField[] _fieldsOfRecord = new SpanField[16]; // the record's tags' fields in tag order, from the first pass to the labels

    public bool Prepare(SpanRecord span)
    {
        if (hooks is null)
        {
            return true;
        }

        _view.Reset(span);
        var outcome = hooks.Run(_view);
        if (outcome == HookOutcome.Keep)
        {
            _view.Apply();
        }

        return outcome != HookOutcome.Drop;
    }

    public void Write(Utf8JsonWriter writer, SpanRecord span)
    {
        var spanTags = CollectionsMarshal.AsSpan(span.Tags);
        if (_fieldsOfRecord.Length < spanTags.Length)
        {
            _fieldsOfRecord = new SpanField[spanTags.Length];
        }

        var tagFields = _fieldsOfRecord.AsSpan(0, spanTags.Length);
        var tags = new SpanTags { ExceptionType = span.ExceptionType, ExceptionMessage = span.ExceptionMessage };
        for (var i = 0; i < spanTags.Length; i++)
        {
            tags.Set(tagFields[i] = FieldOf(spanTags[i].Key), spanTags[i]);
        }

        writer.WriteStartObject();
        Span<byte> ids = stackalloc byte[JsonFieldWriter.MaxIdsLength];
        var idsLength = JsonFieldWriter.FormatIds(ids, span.TraceId, span.SpanId, withParent: true, span.ParentSpanId);
        resource.Write(writer, JsonNames.Span, span.StartTimeUtc, ids[..idsLength]);

        _name.Write(writer, JsonNames.Name, span.Name, fields);
        var isError = IsError(span, tags);
        WriteKindDurationAndStatus(writer, span.Kind, span.Duration, isError);
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

        // An exception event (OpenTelemetry's RecordException, Activity.AddException, PanopticonTrace.MarkFailed) carries
        // the same labels as an exception on a log line.
        labels.WriteSdk(writer, LabelKeys.ExceptionType, span.ExceptionType);
        labels.WriteSdk(writer, LabelKeys.ExceptionMessage, span.ExceptionMessage);
        labels.WriteSdk(writer, LabelKeys.ExceptionStackTrace, span.ExceptionStackTrace);
        if (span.Kind is ActivityKind.Producer or ActivityKind.Consumer)
        {
            labels.WriteSdk(writer, LabelKeys.SpanKind, span.Kind == ActivityKind.Producer ? "PRODUCER" : "CONSUMER");
        }

        for (var i = 0; i < spanTags.Length; i++)
        {
            if (tagFields[i] == SpanField.None)
            {
                labels.WriteUser(writer, spanTags[i]);
            }
        }

        labels.End(writer);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes <c>"kind":"…","duration_ms":…,"status":"…"</c> as one raw value: all three are ASCII the serializer makes
    /// itself, and one write costs the writer a third of three.
    /// </summary>
    private static void WriteKindDurationAndStatus(Utf8JsonWriter writer, ActivityKind kind, TimeSpan duration, bool isError)
    {
        Span<byte> value = stackalloc byte[80]; // 35 bytes of kind and names, 20 of milliseconds, 17 of status at most
        var length = 0;
        JsonFieldWriter.Append(value, ref length, kind switch
        {
            ActivityKind.Server => "\"SERVER\",\"duration_ms\":"u8,
            ActivityKind.Client => "\"CLIENT\",\"duration_ms\":"u8,
            _ => "\"INTERNAL\",\"duration_ms\":"u8,
        });
        length += FormatMilliseconds(value[length..], duration);
        JsonFieldWriter.Append(value, ref length, isError ? ",\"status\":\"ERROR\""u8 : ",\"status\":\"OK\""u8);
        writer.WritePropertyName(JsonNames.Kind);
        writer.WriteRawValue(value[..length], skipInputValidation: true);
    }

    /// <summary>
    /// Milliseconds with up to three decimals (microsecond precision), written digit by digit into
    /// <paramref name="digits"/> (20 bytes at most); returns the length. Formatting a <see cref="double"/> costs more than
    /// twice as much, and this runs for every span.
    /// </summary>
    internal static int FormatMilliseconds(Span<byte> digits, TimeSpan duration)
    {
        var micros = (Math.Max(duration.Ticks, 0) + 5) / 10; // half a microsecond rounds up
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

        return length;
    }

    private SpanField FieldOf(string key)
    {
        if (!_fields.TryGet(key, out var field))
        {
            field = SpanTags.FieldOf(key);
            _fields.TryAdd(key, field);
        }

        return field;
    }

    private static bool IsError(SpanRecord span, in SpanTags tags) =>
        span.Status == ActivityStatusCode.Error
        || string.Equals(tags.OtelStatusCode, "ERROR", StringComparison.OrdinalIgnoreCase)
        || (span.Kind == ActivityKind.Server && tags.HttpStatusCode >= 500)
        || (span.Kind == ActivityKind.Client && tags.HttpStatusCode >= 400);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
