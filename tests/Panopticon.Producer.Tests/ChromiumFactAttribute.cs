namespace Panopticon.Producer.Tests;

/// <summary>
/// A fact that needs Debian's chromium package. Without it the test is reported as skipped, with the reason,
/// rather than silently passing.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"{ChromiumPath} is not installed (apt-get install -y chromium); the viewer was not checked in a browser.";
        }
    }
}
