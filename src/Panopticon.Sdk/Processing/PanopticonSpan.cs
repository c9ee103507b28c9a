using System.Diagnostics;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk;

/// <summary>
/// An ended span on its way to Panopticon, as a span hook sees it (<c>FilterSpans</c>, <c>EnrichSpans</c>). Hooks run on
/// the export thread, never on the thread that ended the span. Changes take effect only when every hook has returned:
/// if one throws, the span is sent as it was. Valid only during the hook call.
/// </summary>
public sealed class PanopticonSpan
{
    private readonly StagedLabels _labels = new();
    private SpanRecord _record = null!;
    private string? _name;

    internal PanopticonSpan()
    {
    }

    /// <summary>The span's name (<c>GET /orders/{id}</c> for server spans); settable.</summary>
    public string Name
    {
        get => _name ?? _record.Name;
        set => _name = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The span's kind.</summary>
    public ActivityKind Kind => _record.Kind;

    /// <summary>The status the span ended with.</summary>
    public ActivityStatusCode Status => _record.Status;

    /// <summary>How long the span lasted.</summary>
    public TimeSpan Duration => _record.Duration;

    /// <summary>The trace id, 32 lowercase hex characters.</summary>
    public string TraceId => _record.TraceId.ToString();

    /// <summary>The span id, 16 lowercase hex characters.</summary>
    public string SpanId => _record.SpanId.ToString();

    /// <summary>The value of a tag as the span ended (e.g. <c>http.route</c>) or as a hook set it; <see langword="null"/> when absent.</summary>
    public object? GetLabel(string key) => _labels.TryGet(key, out var value) ? value : Find(_record.Tags, key)?.Value;

    /// <summary>Adds a label or replaces a tag's value; <see langword="null"/> leaves the label out.</summary>
    public void SetLabel(string key, object? value) => _labels.Set(key, value);

    internal void Reset(SpanRecord record)
    {
        _record = record;
        _name = null;
        _labels.Clear();
    }

    /// <summary>Writes the hooks' changes into the record.</summary>
    internal void Apply()
    {
        if (_name is not null)
        {
            _record.Rename(_name);
        }

        foreach (var (key, value) in _labels.Changes)
        {
            StagedLabels.Replace(_record.Tags, key, value);
        }
    }

    private static RecordTag? Find(List<RecordTag> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag;
            }
        }

        return null;
    }
}
