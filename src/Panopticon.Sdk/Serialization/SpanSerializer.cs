using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Writes an ended <see cref="Activity"/> as a Producer span event, mapping OpenTelemetry semantic
/// conventions (old and new names) to the protocol's fields; every other tag becomes a label.
/// </summary>
internal sealed class SpanSerializer(ResourceFields resource, JsonFieldWriter fields, LabelWriter labels) : IRecordSerializer<Activity>
{
    public void Write(Utf8JsonWriter writer, Activity activity)
    {
        var tags = SpanTags.Read(activity);
        writer.WriteStartObject();
        resource.Write(writer, JsonNames.Span, activity.StartTimeUtc);
        JsonFieldWriter.WriteTraceId(writer, JsonNames.TraceId, activity.TraceId);
        JsonFieldWriter.WriteSpanId(writer, JsonNames.SpanId, activity.SpanId);
        if (activity.ParentSpanId == default)
        {
            writer.WriteNull(JsonNames.ParentSpanId);
        }
        else
        {
            JsonFieldWriter.WriteSpanId(writer, JsonNames.ParentSpanId, activity.ParentSpanId);
        }

        fields.WriteString(writer, JsonNames.Name, string.IsNullOrEmpty(activity.DisplayName) ? activity.OperationName : activity.DisplayName);
        writer.WriteString(JsonNames.Kind, activity.Kind switch
        {
            ActivityKind.Server => JsonNames.Server,
            ActivityKind.Client => JsonNames.Client,
            _ => JsonNames.Internal,
        });
        writer.WriteNumber(JsonNames.DurationMs, Math.Round(activity.Duration.TotalMilliseconds, 3));
        var isError = IsError(activity, tags);
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
            labels.WriteSdk(writer, LabelKeys.ErrorMessage, NullIfEmpty(activity.StatusDescription) ?? tags.ExceptionMessage);
        }

        if (activity.Kind is ActivityKind.Producer or ActivityKind.Consumer)
        {
            labels.WriteSdk(writer, LabelKeys.SpanKind, activity.Kind == ActivityKind.Producer ? "PRODUCER" : "CONSUMER");
        }

        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            if (!SpanTags.IsMapped(tag.Key))
            {
                labels.WriteUser(writer, tag.Key, tag.Value);
            }
        }

        labels.End(writer);
        writer.WriteEndObject();
    }

    private static bool IsError(Activity activity, in SpanTags tags) =>
        activity.Status == ActivityStatusCode.Error
        || string.Equals(tags.OtelStatusCode, "ERROR", StringComparison.OrdinalIgnoreCase)
        || (activity.Kind == ActivityKind.Server && tags.HttpStatusCode >= 500)
        || (activity.Kind == ActivityKind.Client && tags.HttpStatusCode >= 400);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
