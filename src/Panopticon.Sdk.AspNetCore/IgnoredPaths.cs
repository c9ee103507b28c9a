using Microsoft.AspNetCore.Http;

namespace Panopticon.Sdk.AspNetCore;

/// <summary>The request paths that get no server span (health checks and the like), matched by leading segments, case-insensitively.</summary>
internal sealed class IgnoredPaths
{
    private readonly PathString[] _prefixes;

    public IgnoredPaths(IEnumerable<string>? paths)
    {
        var prefixes = new List<PathString>();
        foreach (var path in paths ?? [])
        {
            if (!string.IsNullOrWhiteSpace(path))
            {
                prefixes.Add(new PathString(path.StartsWith('/') ? path.TrimEnd('/') : "/" + path.TrimEnd('/')));
            }
        }

        _prefixes = [.. prefixes];
    }

    public bool Matches(PathString path)
    {
        foreach (var prefix in _prefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
