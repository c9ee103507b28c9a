using Serilog.Events;
using Serilog.Formatting.Json;

namespace Panopticon.Sdk.Serilog;

/// <summary>
/// A structure, sequence or dictionary property, written as a compact JSON string label (<c>{"Id":12,"Total":9.5}</c>):
/// one stable string type per key, whatever the value's shape. The JSON is produced on the export thread, when the
/// label writer turns the value into text; Serilog's property values are immutable, so holding one until then is safe.
/// </summary>
internal sealed class JsonLabel(LogEventPropertyValue value)
{
    // Without the type tag: the label is the value, not Serilog's description of it.
    private static readonly JsonValueFormatter Formatter = new(typeTagName: null);

    public override string ToString()
    {
        using var json = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Formatter.Format(value, json);
        return json.ToString();
    }
}
