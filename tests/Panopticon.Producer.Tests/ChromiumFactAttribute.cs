namespace Panopticon.Producer.Tests;

/// <summary>
/// A fact that needs a Chromium binary: Debian's chromium package at /usr/bin/chromium, or the path in
/// PANOPTICON_CHROMIUM. Without it the test is reported as skipped, with the reason, rather than silently passing.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"Chromium not found at {ChromiumPath} (apt-get install -y chromium, or set PANOPTICON_CHROMIUM); the viewer was not checked in a browser.";
        }
    }

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("PANOPTICON_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
}
