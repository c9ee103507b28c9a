using System.Reflection;
using Microsoft.Extensions.Options;

namespace Panopticon.Sdk.Configuration;

/// <summary>
/// Fills options still at their defaults from <c>PANOPTICON_*</c> environment variables, then from the process.
/// Runs after code and configuration so an explicit setting always wins, while an empty placeholder
/// (<c>"ApiKey": ""</c> in appsettings.json) does not hide a key supplied by the environment.
/// </summary>
internal sealed class EnvironmentVariableDefaults(Func<string, string?> getVariable) : IPostConfigureOptions<PanopticonOptions>
{
    public EnvironmentVariableDefaults()
        : this(System.Environment.GetEnvironmentVariable)
    {
    }

    public void PostConfigure(string? name, PanopticonOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            options.ApiKey = NonEmpty("PANOPTICON_API_KEY") ?? options.ApiKey;
        }

        if (options.Endpoint == PanopticonOptions.DefaultEndpoint || string.IsNullOrWhiteSpace(options.Endpoint))
        {
            options.Endpoint = NonEmpty("PANOPTICON_ENDPOINT") ?? PanopticonOptions.DefaultEndpoint;
        }

        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            options.ServiceName = NonEmpty("PANOPTICON_SERVICE_NAME")
                ?? NonEmpty("OTEL_SERVICE_NAME")
                ?? Assembly.GetEntryAssembly()?.GetName().Name
                ?? "unknown_service";
        }

        if (options.Environment == "production" || string.IsNullOrWhiteSpace(options.Environment))
        {
            options.Environment = NonEmpty("PANOPTICON_ENVIRONMENT") ?? "production";
        }

        if (string.IsNullOrWhiteSpace(options.BufferDirectory))
        {
            options.BufferDirectory = NonEmpty("PANOPTICON_BUFFER_DIRECTORY") ?? options.BufferDirectory;
        }
    }

    private string? NonEmpty(string variable) => getVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
