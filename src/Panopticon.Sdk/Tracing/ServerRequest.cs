using System.Diagnostics;

namespace Panopticon.Sdk.Tracing;

/// <summary>
/// The method and path of the server request a log line is written in, read from the nearest SERVER activity
/// (the ASP.NET Core instrumentation tags it when the request starts). No dependency on ASP.NET Core.
/// </summary>
internal readonly record struct ServerRequest(string? Method, string? Path)
{
    private const int MaxDepth = 32;

    public static ServerRequest Find(Activity activity)
    {
        var current = activity;
        for (var depth = 0; current is not null && depth < MaxDepth; depth++, current = current.Parent)
        {
            if (current.Kind == ActivityKind.Server)
            {
                return new ServerRequest(
                    current.GetTagItem(HttpTagNames.Method) as string ?? current.GetTagItem(HttpTagNames.LegacyMethod) as string,
                    current.GetTagItem(HttpTagNames.UrlPath) as string);
            }
        }

        return default;
    }
}
