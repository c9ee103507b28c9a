using System.Reflection;

namespace Panopticon.Quickstart;

/// <summary>Where the built Producer and demo app are: embedded at build time by the project file.</summary>
internal static class ChildApps
{
    public static string ProducerDll => Find("Panopticon.Quickstart.ProducerApp");

    public static string WebApiDll => Find("Panopticon.Quickstart.WebApiApp");

    /// <summary>Only in the end-to-end tests, which run the quickstart itself.</summary>
    public static string QuickstartDll => Find("Panopticon.Quickstart.QuickstartApp");

    private static string Find(string key)
    {
        var path = typeof(ChildApps).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new QuickstartException(
                $"The app '{Path.GetFileName(path) ?? key}' is not built. Run `dotnet build samples/Panopticon.Quickstart` (or `dotnet run --project samples/Panopticon.Quickstart`).");
        }

        return path;
    }
}

/// <summary>A failure to report in one clear sentence (plus an optional output tail), without a stack trace.</summary>
internal sealed class QuickstartException(string message, string? details = null) : Exception(message)
{
    public string? Details { get; } = details;
}
