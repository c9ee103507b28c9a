using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using Panopticon.Sdk.Engine;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Writes an ended span (<see cref="SpanRecord"/>) as a Producer span event, mapping OpenTelemetry semantic
/// conventions (old and new names) to the protocol's fields; every other tag becomes a label.
/// </summary>
internal sealed class SpanSerializer(ResourceFields resource, JsonFieldWriter fields, LabelWriter labels) : IRecordSerializer<SpanRecord>
{
    public void Write(Utf8JsonWriter writer, SpanRecord span)
    {
        var tags = SpanTags.Read(span);
        writer.WriteStartObject();
        resource.Write(writer, JsonNames.Span, span.StartTimeUtc);
        writer.WriteString(JsonNames.TraceId, span.TraceId);
        writer.WriteString(JsonNames.SpanId, span.SpanId);
        if (span.HasParent)
        {
            writer.WriteString(JsonNames.ParentSpanId, span.ParentSpanId);
        }
        else
        {
            writer.WriteNull(JsonNames.ParentSpanId);
        }

        fields.WriteString(writer, JsonNames.Name, span.Name);
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
            writer.WriteString(JsonNames.HttpMethod, tags.HttpMethod);
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

        foreach (var tag in span.Tags)
        {
            if (!SpanTags.IsMapped(tag.Key))
            {
                labels.WriteUser(writer, tag.Key, tag.Value);
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

    private static bool IsError(SpanRecord span, in SpanTags tags) =>
        span.Status == ActivityStatusCode.Error
        || string.Equals(tags.OtelStatusCode, "ERROR", StringComparison.OrdinalIgnoreCase)
        || (span.Kind == ActivityKind.Server && tags.HttpStatusCode >= 500)
        || (span.Kind == ActivityKind.Client && tags.HttpStatusCode >= 400);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
