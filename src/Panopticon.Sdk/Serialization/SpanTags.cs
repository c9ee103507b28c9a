using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Tracing;
using System.Globalization;

namespace Panopticon.Sdk.Serialization;

/// <summary>What an activity tag is to the wire format: a user label, one of the protocol's own fields, or nothing.</summary>
internal enum SpanField : byte
{
    /// <summary>Not mapped: written as a user label.</summary>
    None,

    /// <summary>Never sent (<c>url.query</c> can carry secrets; <c>otel.status_description</c> is the span's status).</summary>
    Ignored,
    HttpMethod,
    UrlPath,
    UrlFull,
    HttpStatusCode,
    HttpRoute,
    DbSystem,
    DbName,
    DbStatement,
    DbOperation,
    ErrorType,
    OtelStatusCode,
}

/// <summary>The activity tags the protocol maps to its own fields (current and legacy semantic conventions).</summary>
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

    /// <summary>The field a tag key fills. Called once per distinct key: the answer is cached by the caller.</summary>
    public static SpanField FieldOf(string key) => key switch
    {
        HttpTagNames.Method or HttpTagNames.LegacyMethod => SpanField.HttpMethod,
        HttpTagNames.UrlPath => SpanField.UrlPath,
        HttpTagNames.UrlFull or HttpTagNames.LegacyUrl => SpanField.UrlFull,
        HttpTagNames.StatusCode or HttpTagNames.LegacyStatusCode => SpanField.HttpStatusCode,
        HttpTagNames.Route => SpanField.HttpRoute,
        "db.system" or "db.system.name" => SpanField.DbSystem,
        "db.name" or "db.namespace" => SpanField.DbName,
        "db.statement" or "db.query.text" => SpanField.DbStatement,
        "db.operation" or "db.operation.name" => SpanField.DbOperation,
        "error.type" => SpanField.ErrorType,
        "otel.status_code" => SpanField.OtelStatusCode,
        HttpTagNames.UrlQuery or "otel.status_description" => SpanField.Ignored,
        _ => SpanField.None,
    };

    /// <summary>Takes the value of a tag that fills <paramref name="field"/>; when a field comes twice, the last tag wins.</summary>
    public void Set(SpanField field, in RecordTag tag)
    {
        switch (field)
        {
            case SpanField.HttpMethod: HttpMethod = tag.StringValue; break;
            case SpanField.UrlPath: UrlPath = tag.StringValue; break;
            case SpanField.UrlFull: UrlFull = tag.StringValue; break;
            case SpanField.HttpStatusCode: HttpStatusCode = ToInt(tag); break;
            case SpanField.HttpRoute: HttpRoute = tag.StringValue; break;
            case SpanField.DbSystem: DbSystem = tag.StringValue; break;
            case SpanField.DbName: DbName = tag.StringValue; break;
            case SpanField.DbStatement: DbStatement = tag.StringValue; break;
            case SpanField.DbOperation: DbOperation = tag.StringValue; break;
            case SpanField.ErrorType: ErrorType = tag.Value?.ToString(); break;
            case SpanField.OtelStatusCode: OtelStatusCode = tag.StringValue; break;
        }
    }

    private static int? ToInt(in RecordTag tag) => tag.TryGetInt32(out var number)
        ? number
        : int.TryParse(tag.StringValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
