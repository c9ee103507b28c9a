namespace Panopticon.Sdk.Serialization;

/// <summary>Label keys the SDK writes itself; user values with the same name are prefixed instead of replacing them.</summary>
internal static class LabelKeys
{
    public const string Context = "context";
    public const string ExceptionType = "exception_type";
    public const string ExceptionMessage = "exception_message";
    public const string ExceptionStackTrace = "exception_stacktrace";
    public const string Severity = "severity";
    public const string HttpUrl = "http_url";
    public const string HttpRoute = "http_route";
    public const string DbSystem = "db_system";
    public const string DbName = "db_name";
    public const string DbStatement = "db_statement";
    public const string DbOperation = "db_operation";
    public const string ErrorType = "error_type";
    public const string ErrorMessage = "error_message";
    public const string SpanKind = "span_kind";
    public const string UserPrefix = "attr_";

    public static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        Context, ExceptionType, ExceptionMessage, ExceptionStackTrace, Severity,
        HttpUrl, HttpRoute, DbSystem, DbName, DbStatement, DbOperation, ErrorType, ErrorMessage, SpanKind,
    };
}
