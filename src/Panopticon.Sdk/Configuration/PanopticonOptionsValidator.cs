using System.Net;
using Microsoft.Extensions.Options;

namespace Panopticon.Sdk.Configuration;

/// <summary>Checks options at startup so a misconfiguration fails fast and names the option at fault.</summary>
internal sealed class PanopticonOptionsValidator : IValidateOptions<PanopticonOptions>
{
    public ValidateOptionsResult Validate(string? name, PanopticonOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add("Panopticon:ApiKey is required (set it in code, in configuration, or with the PANOPTICON_API_KEY environment variable).");
        }

        ValidateUrl(nameof(PanopticonOptions.Endpoint), options.Endpoint, options.AllowInsecureHttp, errors);
        if (options.LogEndpoint is not null)
        {
            ValidateUrl(nameof(PanopticonOptions.LogEndpoint), options.LogEndpoint, options.AllowInsecureHttp, errors);
        }

        if (options.TraceEndpoint is not null)
        {
            ValidateUrl(nameof(PanopticonOptions.TraceEndpoint), options.TraceEndpoint, options.AllowInsecureHttp, errors);
        }

        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            errors.Add("Panopticon:ServiceName must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Environment))
        {
            errors.Add("Panopticon:Environment must not be empty.");
        }

        RequirePositive(nameof(PanopticonOptions.BatchSize), options.BatchSize, errors);
        RequirePositive(nameof(PanopticonOptions.MaxQueueSize), options.MaxQueueSize, errors);
        if (options.BatchSize >= 1 && options.MaxQueueSize < options.BatchSize)
        {
            errors.Add($"Panopticon:MaxQueueSize ({options.MaxQueueSize}) must be at least BatchSize ({options.BatchSize}).");
        }

        if (options.MaxRetryAttempts < 0)
        {
            errors.Add($"Panopticon:MaxRetryAttempts must be 0 or more (was {options.MaxRetryAttempts}).");
        }

        if (options.MaxBatchBytes < 1024)
        {
            errors.Add($"Panopticon:MaxBatchBytes must be at least 1024 (was {options.MaxBatchBytes}).");
        }

        if (options.MaxValueLength < 64)
        {
            errors.Add($"Panopticon:MaxValueLength must be at least 64 (was {options.MaxValueLength}).");
        }

        RequirePositive(nameof(PanopticonOptions.FlushInterval), options.FlushInterval, errors);
        RequirePositive(nameof(PanopticonOptions.ExportTimeout), options.ExportTimeout, errors);
        RequirePositive(nameof(PanopticonOptions.MaxRetryDuration), options.MaxRetryDuration, errors);
        RequirePositive(nameof(PanopticonOptions.ShutdownTimeout), options.ShutdownTimeout, errors);

        if (!Enum.IsDefined(options.Compression))
        {
            errors.Add($"Panopticon:Compression has an unknown value ({options.Compression}).");
        }

        if (!Enum.IsDefined(options.OverflowPolicy))
        {
            errors.Add($"Panopticon:OverflowPolicy has an unknown value ({options.OverflowPolicy}).");
        }

        ValidateSources(options.Sources, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateUrl(string option, string value, bool allowInsecureHttp, List<string> errors)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            // The value is echoed only as its scheme and shape: URLs can carry credentials.
            errors.Add($"Panopticon:{option} must be an absolute http(s) URL.");
            return;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add($"Panopticon:{option} must not contain user credentials; use ApiKey.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp && !IsLoopback(uri))
        {
            errors.Add($"Panopticon:{option} uses plain http to a non-loopback host ({uri.Host}); use https, or set AllowInsecureHttp = true to accept sending the API key unencrypted.");
        }
    }

    private static void ValidateSources(IList<string>? sources, List<string> errors)
    {
        if (sources is null)
        {
            errors.Add("Panopticon:Sources must not be null (leave it empty for none).");
            return;
        }

        for (var i = 0; i < sources.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(sources[i]))
            {
                errors.Add($"Panopticon:Sources:{i} must be an ActivitySource name such as MyCompany.Orders or MyCompany.* (was \"{sources[i]}\").");
            }
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static void RequirePositive(string option, int value, List<string> errors)
    {
        if (value < 1)
        {
            errors.Add($"Panopticon:{option} must be at least 1 (was {value}).");
        }
    }

    private static void RequirePositive(string option, TimeSpan value, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Panopticon:{option} must be a positive time span (was {value}).");
        }
    }
}
