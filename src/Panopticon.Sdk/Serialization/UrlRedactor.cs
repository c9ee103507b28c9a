using System.Text;

namespace Panopticon.Sdk.Serialization;

/// <summary>Removes what a URL can leak: user info, fragment, and every query value (names are kept).</summary>
internal static class UrlRedactor
{
    public const string Redacted = "REDACTED";

    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var queryStart = url.IndexOf('?', StringComparison.Ordinal);
            return queryStart < 0 ? url : url[..queryStart];
        }

        var builder = new StringBuilder(url.Length);
        builder.Append(uri.Scheme).Append("://").Append(uri.Authority).Append(uri.AbsolutePath);
        var query = uri.Query;
        if (query.Length > 1)
        {
            var separator = '?';
            foreach (var pair in query.AsSpan(1).ToString().Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                builder.Append(separator).Append(equals < 0 ? pair : pair[..equals]).Append('=').Append(Redacted);
                separator = '&';
            }
        }

        return builder.ToString();
    }

    /// <summary>The path of an absolute URL, without its query string.</summary>
    public static string? PathOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : null;
}
