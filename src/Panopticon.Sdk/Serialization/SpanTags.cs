using System.Diagnostics;
using System.Globalization;

namespace Panopticon.Sdk.Serialization;

/// <summary>The activity tags the protocol maps to its own fields, read in one pass (current and legacy semantic conventions).</summary>
internal struct SpanTags
{
    public string? HttpMethod;
    public string? UrlPath;
    public string? UrlFull;
    public int? HttpStatusCode;
    public string? HttpRoute;
    public string? DbSystem;
    public string? DbName;
    public string? DbStatement;
    public string? DbOperation;
    public string? ErrorType;
    public string? OtelStatusCode;
    public string? ExceptionType;
    public string? ExceptionMessage;

    /// <summary>Tags consumed by the mapping (and <c>url.query</c>, which can carry secrets) are not repeated as labels.</summary>
    public static bool IsMapped(string key) => key switch
    {
        "http.request.method" or "http.method" or "url.path" or "url.full" or "http.url" or "url.query"
            or "http.response.status_code" or "http.status_code" or "http.route"
            or "db.system" or "db.system.name" or "db.name" or "db.namespace" or "db.statement" or "db.query.text"
            or "db.operation" or "db.operation.name" or "error.type" or "otel.status_code" or "otel.status_description" => true,
        _ => false,
    };

    public static SpanTags Read(Activity activity)
    {
        var tags = default(SpanTags);
        // The Enumerate* methods walk the activity's lists with struct enumerators: no allocation per span.
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            var value = tag.Value;
            switch (tag.Key)
            {
                case "http.request.method" or "http.method": tags.HttpMethod = value as string; break;
                case "url.path": tags.UrlPath = value as string; break;
                case "url.full" or "http.url": tags.UrlFull = value as string; break;
                case "http.response.status_code" or "http.status_code": tags.HttpStatusCode = ToInt(value); break;
                case "http.route": tags.HttpRoute = value as string; break;
                case "db.system" or "db.system.name": tags.DbSystem = value as string; break;
                case "db.name" or "db.namespace": tags.DbName = value as string; break;
                case "db.statement" or "db.query.text": tags.DbStatement = value as string; break;
                case "db.operation" or "db.operation.name": tags.DbOperation = value as string; break;
                case "error.type": tags.ErrorType = value?.ToString(); break;
                case "otel.status_code": tags.OtelStatusCode = value as string; break;
            }
        }

        foreach (ref readonly var activityEvent in activity.EnumerateEvents())
        {
            if (activityEvent.Name != "exception")
            {
                continue;
            }

            foreach (ref readonly var tag in activityEvent.EnumerateTagObjects())
            {
                var (key, value) = tag;
                if (key == "exception.type")
                {
                    tags.ExceptionType ??= value as string;
                }
                else if (key == "exception.message")
                {
                    tags.ExceptionMessage ??= value as string;
                }
            }
        }

        return tags;
    }

    private static int? ToInt(object? value) => value switch
    {
        int i => i,
        long l => (int)l,
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
