namespace Panopticon.Sdk.AspNetCore;

/// <summary>The request paths Panopticon sends no spans of (health checks and the like), matched by leading segments, case-insensitively.</summary>
internal sealed class IgnoredPaths
{
    private readonly string[] _prefixes;

    public IgnoredPaths(IEnumerable<string>? paths)
    {
        var prefixes = new List<string>();
        foreach (var path in paths ?? [])
        {
            if (!string.IsNullOrWhiteSpace(path))
            {
                prefixes.Add(path.StartsWith('/') ? path.TrimEnd('/') : "/" + path.TrimEnd('/'));
            }
        }

        _prefixes = [.. prefixes];
    }

    public bool IsEmpty => _prefixes.Length == 0;

    /// <summary>Whether <paramref name="path"/> is an ignored path or below one (<c>/health</c> covers <c>/health/live</c>, not <c>/healthy</c>).</summary>
    public bool Matches(ReadOnlySpan<char> path)
    {
        foreach (var prefix in _prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }
}
