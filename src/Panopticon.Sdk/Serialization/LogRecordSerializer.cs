using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Serialization;

/// <summary>Writes a <see cref="LogRecord"/> as a Producer log event.</summary>
internal sealed class LogRecordSerializer(ResourceFields resource, JsonFieldWriter fields, LabelWriter labels, HookRunner<PanopticonLog>? hooks = null) : IRecordSerializer<LogRecord>
{
    private readonly MessageTemplates _templates = new();
    private PanopticonLog? _view;

    public bool Prepare(LogRecord record)
    {
        if (hooks is null)
        {
            return true;
        }

        _view ??= new PanopticonLog(log => MessageOf(log).ToString());
        _view.Reset(record);
        var outcome = hooks.Run(_view);
        if (outcome == HookOutcome.Keep)
        {
            _view.Apply();
        }

        return outcome != HookOutcome.Drop;
    }

    public void Write(Utf8JsonWriter writer, LogRecord record)
    {
        writer.WriteStartObject();
        resource.Write(writer, JsonNames.Log, record.Timestamp, LevelProperty(record.Level));
        fields.WriteString(writer, JsonNames.Message, MessageOf(record));
        if (record.TraceId != default)
        {
            // ActivityTraceId and ActivitySpanId keep their lowercase hex strings: no allocation.
            JsonFieldWriter.WriteIds(writer, record.TraceId.ToHexString(), record.SpanId.ToHexString());
        }

        if (record.HttpMethod is not null)
        {
            writer.WriteString(JsonNames.HttpMethod, record.HttpMethod);
        }

        if (record.HttpPath is not null)
        {
            fields.WriteString(writer, JsonNames.HttpPath, record.HttpPath);
        }

        labels.Begin(writer);
        if (record.Category.Length > 0)
        {
            // A Serilog event without a SourceContext (the static Log class) has no category.
            labels.WriteSdk(writer, LabelKeys.Context, record.Category);
        }

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
            WriteUser(writer, attributes);
        }

        if (record.Template is not null)
        {
            foreach (var value in record.TemplateValues)
            {
                labels.WriteUser(writer, value);
            }
        }

        if (record.HasValues)
        {
            WriteUser(writer, record.Values);
        }

        labels.End(writer);
        writer.WriteEndObject();
    }

    private void WriteUser<TList>(Utf8JsonWriter writer, TList values)
        where TList : IReadOnlyList<KeyValuePair<string, object?>>
    {
        for (var i = 0; i < values.Count; i++)
        {
            var (key, value) = values[i];
            labels.WriteUser(writer, key, value);
        }
    }

    /// <summary>
    /// The <c>level</c> property, written with the resource fields. The Producer keeps exactly DEBUG, INFO, WARN and ERROR;
    /// anything else would be dropped.
    /// </summary>
    private static ReadOnlySpan<byte> LevelProperty(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => ",\"level\":\"DEBUG\""u8,
        LogLevel.Information => ",\"level\":\"INFO\""u8,
        LogLevel.Warning => ",\"level\":\"WARN\""u8,
        _ => ",\"level\":\"ERROR\""u8,
    };

    // The Producer drops events with an empty message.
    private ReadOnlySpan<char> MessageOf(LogRecord record)
    {
        var message = record.Message is { } formatted ? formatted.AsSpan()
            : record.Template is { } template ? _templates.Format(template, record.TemplateValues)
            : default;
        return !message.IsWhiteSpace() ? message
            : record.Exception?.Message is { Length: > 0 } exceptionMessage ? exceptionMessage
            : "(empty message)";
    }
}
