using Panopticon.Sdk.Engine;
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

    public static SpanTags Read(SpanRecord span)
    {
        var tags = new SpanTags { ExceptionType = span.ExceptionType, ExceptionMessage = span.ExceptionMessage };
        foreach (var tag in span.Tags)
        {
            switch (tag.Key)
            {
                case "http.request.method" or "http.method": tags.HttpMethod = tag.StringValue; break;
                case "url.path": tags.UrlPath = tag.StringValue; break;
                case "url.full" or "http.url": tags.UrlFull = tag.StringValue; break;
                case "http.response.status_code" or "http.status_code": tags.HttpStatusCode = ToInt(tag); break;
                case "http.route": tags.HttpRoute = tag.StringValue; break;
                case "db.system" or "db.system.name": tags.DbSystem = tag.StringValue; break;
                case "db.name" or "db.namespace": tags.DbName = tag.StringValue; break;
                case "db.statement" or "db.query.text": tags.DbStatement = tag.StringValue; break;
                case "db.operation" or "db.operation.name": tags.DbOperation = tag.StringValue; break;
                case "error.type": tags.ErrorType = tag.Value?.ToString(); break;
                case "otel.status_code": tags.OtelStatusCode = tag.StringValue; break;
            }
        }

        return tags;
    }

    private static int? ToInt(in RecordTag tag) => tag.TryGetInt32(out var number)
        ? number
        : int.TryParse(tag.StringValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
