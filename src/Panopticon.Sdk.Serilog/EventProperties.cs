using Serilog.Events;

namespace Panopticon.Sdk.Serilog;

/// <summary>
/// Copies an event's properties into a record's values: scalars as themselves (numbers stay numbers, booleans
/// booleans, strings strings), structured values as <see cref="JsonLabel"/>s. <c>SourceContext</c> becomes the record's
/// category (the <c>context</c> label) instead; values that repeat what a record carries at top level, or that
/// ASP.NET Core adds to every line of a request, are left out, as the logging integration leaves them out.
/// </summary>
internal static class EventProperties
{
    public const string SourceContext = "SourceContext";
    private const string EventId = "EventId";

    public static void CopyTo(IReadOnlyDictionary<string, LogEventPropertyValue> properties, List<KeyValuePair<string, object?>> values)
    {
        // Serilog keeps an event's properties in a Dictionary: enumerated as one, the enumerator is not boxed.
        if (properties is Dictionary<string, LogEventPropertyValue> dictionary)
        {
            foreach (var (name, value) in dictionary)
            {
                Copy(name, value, values);
            }
        }
        else
        {
            foreach (var (name, value) in properties)
            {
                Copy(name, value, values);
            }
        }
    }

    private static void Copy(string name, LogEventPropertyValue value, List<KeyValuePair<string, object?>> values)
    {
        if (IsLeftOut(name))
        {
            return;
        }

        if (name == EventId && value is StructureValue eventId)
        {
            CopyEventId(eventId, values);
            return;
        }

        values.Add(new(name, value is ScalarValue scalar ? scalar.Value : new JsonLabel(value)));
    }

    private static bool IsLeftOut(string name) => name is SourceContext
        // Microsoft.Extensions.Logging's activity tracking: the record has its own ids ({OriginalFormat} is dropped
        // by the label writer, for every source).
        or "TraceId" or "SpanId" or "ParentId"
        // ASP.NET Core's request scope and Kestrel's connection scope: the record has the trace id, method and path.
        or "RequestId" or "RequestPath" or "ConnectionId";

    /// <summary>
    /// An <c>EventId</c> from <c>Microsoft.Extensions.Logging</c> (a structure of <c>Id</c> and <c>Name</c>): <c>EventId</c>
    /// as a number and <c>EventName</c> as a string, rather than one JSON string nobody can filter on.
    /// </summary>
    private static void CopyEventId(StructureValue eventId, List<KeyValuePair<string, object?>> values)
    {
        foreach (var property in eventId.Properties)
        {
            if (property.Value is ScalarValue { Value: { } value })
            {
                if (property.Name == "Id")
                {
                    values.Add(new(EventId, value));
                }
                else if (property.Name == "Name")
                {
                    values.Add(new("EventName", value));
                }
            }
        }
    }
}
