namespace Panopticon.Sdk.Tracing;

/// <summary>
/// The HTTP activity tags the SDK reads, in OpenTelemetry's current semantic conventions and their legacy names,
/// named once for the span serializer (<c>SpanTags</c>), the log lines' request fields (<see cref="ServerRequest"/>)
/// and the ASP.NET Core exclusion of ignored paths.
/// </summary>
internal static class HttpTagNames
{
    public const string Method = "http.request.method";
    public const string LegacyMethod = "http.method";
    public const string UrlPath = "url.path";
    public const string UrlFull = "url.full";
    public const string LegacyUrl = "http.url";
    public const string UrlQuery = "url.query";
    public const string StatusCode = "http.response.status_code";
    public const string LegacyStatusCode = "http.status_code";
    public const string Route = "http.route";
}
