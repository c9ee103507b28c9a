using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Serialization;

/// <summary>Writes a <see cref="LogRecord"/> as a Producer log event.</summary>
internal sealed class LogRecordSerializer(ResourceFields resource, JsonFieldWriter fields, LabelWriter labels) : IRecordSerializer<LogRecord>
{
    public void Write(Utf8JsonWriter writer, LogRecord record)
    {
        writer.WriteStartObject();
        resource.Write(writer, "log", record.Timestamp);
        writer.WriteString("level", ToProducerLevel(record.Level));
        fields.WriteString(writer, "message", MessageOf(record));
        if (record.TraceId != default)
        {
            JsonFieldWriter.WriteTraceId(writer, "trace_id", record.TraceId);
            JsonFieldWriter.WriteSpanId(writer, "span_id", record.SpanId);
        }

        if (record.HttpMethod is not null)
        {
            writer.WriteString("http_method", record.HttpMethod);
        }

        if (record.HttpPath is not null)
        {
            fields.WriteString(writer, "http_path", record.HttpPath);
        }

        if (record.HttpStatusCode is { } status)
        {
            writer.WriteNumber("http_status_code", status);
        }

        labels.Begin(writer);
        labels.WriteSdk(writer, LabelKeys.Context, record.Category);
        if (record.Level == LogLevel.Critical)
        {
            labels.WriteSdk(writer, LabelKeys.Severity, "critical");
        }

        if (record.Exception is { } exception)
        {
            labels.WriteSdk(writer, LabelKeys.ExceptionType, exception.GetType().FullName);
            labels.WriteSdk(writer, LabelKeys.ExceptionMessage, exception.Message);
            labels.WriteSdk(writer, LabelKeys.ExceptionStackTrace, exception.ToString());
        }

        if (record.Attributes is { } attributes)
        {
            for (var i = 0; i < attributes.Count; i++)
            {
                labels.WriteUser(writer, attributes[i].Key, attributes[i].Value);
            }
        }

        labels.End(writer);
        writer.WriteEndObject();
    }

    /// <summary>The Producer keeps exactly DEBUG, INFO, WARN and ERROR; anything else would be dropped.</summary>
    internal static string ToProducerLevel(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        _ => "ERROR",
    };

    // The Producer drops events with an empty message.
    private static string MessageOf(LogRecord record) =>
        !string.IsNullOrWhiteSpace(record.Message) ? record.Message
        : record.Exception?.Message is { Length: > 0 } exceptionMessage ? exceptionMessage
        : "(empty message)";
}
