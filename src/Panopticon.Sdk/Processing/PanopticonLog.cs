using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk;

/// <summary>
/// A log line on its way to Panopticon, as a log hook sees it (<c>FilterLogs</c>, <c>EnrichLogs</c>). Hooks run on the
/// export thread, never on the thread that logged. Changes take effect only when every hook has returned: if one
/// throws, the line is sent as it was. Valid only during the hook call.
/// </summary>
public sealed class PanopticonLog
{
    private readonly StagedLabels _labels = new();
    private readonly Func<LogRecord, string> _format;
    private LogRecord _record = null!;
    private string? _message;

    internal PanopticonLog(Func<LogRecord, string> format) => _format = format;

    /// <summary>The level the line was logged at.</summary>
    public LogLevel Level => _record.Level;

    /// <summary>The logger category (sent as the <c>context</c> label).</summary>
    public string Category => _record.Category;

    /// <summary>The formatted message; settable.</summary>
    public string Message
    {
        get => _message ??= _format(_record);
        set => _message = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The exception logged with the line, if any.</summary>
    public Exception? Exception => _record.Exception;

    /// <summary>The trace id (32 lowercase hex characters), or <see langword="null"/> outside a trace.</summary>
    public string? TraceId => _record.TraceId == default ? null : _record.TraceId.ToHexString();

    /// <summary>The value of a structured or scope value (e.g. <c>OrderId</c>) or of a label a hook set; <see langword="null"/> when absent.</summary>
    public object? GetLabel(string key)
    {
        if (_labels.TryGet(key, out var value))
        {
            return value;
        }

        foreach (var tag in _record.TemplateValues)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return Find(_record.Values, key) ?? (_record.Attributes is { } attributes ? Find(attributes, key) : null);
    }

    /// <summary>Adds a label or replaces a value's; <see langword="null"/> leaves the label out. The message is not changed.</summary>
    public void SetLabel(string key, object? value) => _labels.Set(key, value);

    internal void Reset(LogRecord record)
    {
        _record = record;
        _message = null;
        _labels.Clear();
    }

    /// <summary>Writes the hooks' changes into the record.</summary>
    internal void Apply()
    {
        if (_labels.Changes.Count > 0)
        {
            // The message may be formatted from the values about to change: it keeps the text it had.
            _record.Message = Message;

            // The attributes may be the application's own state object: they are copied, never changed.
            if (_record.Attributes is { Count: > 0 } attributes)
            {
                _record.Values.InsertRange(0, attributes);
                _record.Attributes = null;
            }

            foreach (var (key, value) in _labels.Changes)
            {
                if (!StagedLabels.TryReplace(_record.TemplateValues, key, value))
                {
                    StagedLabels.Replace(_record.Values, key, value);
                }
            }
        }
        else if (_message is not null)
        {
            _record.Message = _message;
        }
    }

    private static object? Find(IReadOnlyList<KeyValuePair<string, object?>> values, string key)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Key == key)
            {
                return values[i].Value;
            }
        }

        return null;
    }
}
