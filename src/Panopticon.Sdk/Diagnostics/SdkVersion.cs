using System.Reflection;

namespace Panopticon.Sdk;

/// <summary>The SDK's informational version, as sent in <c>User-Agent</c>.</summary>
internal static class SdkVersion
{
    public static readonly string Current =
        typeof(SdkVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
