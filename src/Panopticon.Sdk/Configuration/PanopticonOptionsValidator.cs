using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace Panopticon.Sdk.Configuration;

/// <summary>
/// Checks options at startup so a misconfiguration fails fast. Each message names the option by its configuration
/// path and echoes the value at fault (<c>Panopticon:Endpoint 'htps://x' must be an absolute http(s) URL.</c>), except
/// the API key, which is never echoed, and URL credentials, which are masked.
/// </summary>
internal sealed class PanopticonOptionsValidator : IValidateOptions<PanopticonOptions>
{
    private const string Section = PanopticonOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, PanopticonOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add($"{Section}:ApiKey is required: set it in configuration, with the PANOPTICON_API_KEY environment variable or in code (or set {Section}:Enabled to false to run without Panopticon).");
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

        RequireText(nameof(PanopticonOptions.ServiceName), options.ServiceName, errors);
        RequireText(nameof(PanopticonOptions.Environment), options.Environment, errors);
        RequirePositive(nameof(PanopticonOptions.BatchSize), options.BatchSize, errors);
        RequirePositive(nameof(PanopticonOptions.MaxQueueSize), options.MaxQueueSize, errors);
        if (options.BatchSize >= 1 && options.MaxQueueSize >= 1 && options.MaxQueueSize < options.BatchSize)
        {
            errors.Add(Invalid(nameof(PanopticonOptions.MaxQueueSize), options.MaxQueueSize, $"must be at least {Section}:BatchSize ({options.BatchSize})"));
        }

        RequireAtLeast(nameof(PanopticonOptions.MaxRetryAttempts), options.MaxRetryAttempts, 0, errors);
        RequireAtLeast(nameof(PanopticonOptions.MaxBatchBytes), options.MaxBatchBytes, 1024, errors);
        RequireAtLeast(nameof(PanopticonOptions.MaxValueLength), options.MaxValueLength, 64, errors);
        RequirePositive(nameof(PanopticonOptions.FlushInterval), options.FlushInterval, errors);
        RequirePositive(nameof(PanopticonOptions.ExportTimeout), options.ExportTimeout, errors);
        RequirePositive(nameof(PanopticonOptions.MaxRetryDuration), options.MaxRetryDuration, errors);
        RequirePositive(nameof(PanopticonOptions.ShutdownTimeout), options.ShutdownTimeout, errors);
        if (!(options.TracesSampleRatio is >= 0 and <= 1))
        {
            errors.Add(Invalid(nameof(PanopticonOptions.TracesSampleRatio), options.TracesSampleRatio, "must be between 0 and 1"));
        }

        if (options.MaxTracesPerSecond is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            errors.Add(Invalid(nameof(PanopticonOptions.MaxTracesPerSecond), rate, "must be a positive number (leave it unset for no limit)"));
        }

        RequirePositive(nameof(PanopticonOptions.MaxPendingTraces), options.MaxPendingTraces, errors);
        ValidateBuffer(options, errors);
        if (!Enum.IsDefined(options.Compression))
        {
            errors.Add(Invalid(nameof(PanopticonOptions.Compression), options.Compression, $"is not one of {string.Join(", ", Enum.GetNames<PanopticonCompression>())}"));
        }

        if (!Enum.IsDefined(options.OverflowPolicy))
        {
            errors.Add(Invalid(nameof(PanopticonOptions.OverflowPolicy), options.OverflowPolicy, $"is not one of {string.Join(", ", Enum.GetNames<PanopticonOverflowPolicy>())}"));
        }

        ValidateEntries(nameof(PanopticonOptions.Sources), options.Sources, "leave it empty for none", "must be an ActivitySource name such as MyCompany.Orders or MyCompany.*", errors);

        // A blank entry would be contained in every key and redact every label.
        ValidateEntries(nameof(PanopticonOptions.RedactedLabelKeys), options.RedactedLabelKeys, "leave it empty to redact nothing", "must be a part of a label key such as password", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary><c>Panopticon:{option} '{value}' {problem}.</c></summary>
    private static string Invalid(string option, object? value, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{Section}:{option} '{value}' {problem}.");

    private static void ValidateUrl(string option, string value, bool allowInsecureHttp, List<string> errors)
    {
        var shown = WithoutCredentials(value);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(Invalid(option, shown, "must be an absolute http(s) URL"));
            return;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(Invalid(option, shown, "must not contain user credentials; use ApiKey"));
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp && !IsLoopback(uri))
        {
            errors.Add(Invalid(option, shown, $"uses plain http to a non-loopback host; use https, or set {Section}:AllowInsecureHttp to true to accept sending the API key unencrypted"));
        }
    }

    private static void ValidateBuffer(PanopticonOptions options, List<string> errors)
    {
        if (options.BufferDirectory is { } directory)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                errors.Add(Invalid(nameof(PanopticonOptions.BufferDirectory), directory, "must be a directory path; leave it unset to buffer in memory only"));
            }
            else if (directory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                errors.Add(Invalid(nameof(PanopticonOptions.BufferDirectory), directory, "contains characters not allowed in a path"));
            }
        }

        if (options.MaxBufferBytes < options.MaxBatchBytes)
        {
            errors.Add(Invalid(nameof(PanopticonOptions.MaxBufferBytes), options.MaxBufferBytes, $"must be at least {Section}:MaxBatchBytes ({options.MaxBatchBytes}), the largest batch"));
        }

        RequirePositive(nameof(PanopticonOptions.BufferRetention), options.BufferRetention, errors);
    }

    /// <summary>A list option: present, and no entry blank (<paramref name="whenNull"/> and <paramref name="entryProblem"/> say what to do).</summary>
    private static void ValidateEntries(string option, IList<string>? entries, string whenNull, string entryProblem, List<string> errors)
    {
        if (entries is null)
        {
            errors.Add($"{Section}:{option} must not be null ({whenNull}).");
            return;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(entries[i]))
            {
                errors.Add(Invalid($"{option}:{i}", entries[i], entryProblem));
            }
        }
    }

    /// <summary>The URL with anything between <c>://</c> and <c>@</c> masked: a URL can carry a password.</summary>
    private static string WithoutCredentials(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var authority = scheme + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authority);
        var at = url.AsSpan(authority, (authorityEnd < 0 ? url.Length : authorityEnd) - authority).LastIndexOf('@');
        return at < 0 ? url : string.Concat(url.AsSpan(0, authority), "***", url.AsSpan(authority + at));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static void RequireText(string option, string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(Invalid(option, value, "must not be empty"));
        }
    }

    private static void RequirePositive(string option, int value, List<string> errors) => RequireAtLeast(option, value, 1, errors);

    private static void RequireAtLeast(string option, int value, int minimum, List<string> errors)
    {
        if (value < minimum)
        {
            errors.Add(Invalid(option, value, $"must be at least {minimum}"));
        }
    }

    private static void RequirePositive(string option, TimeSpan value, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(Invalid(option, value, "must be a positive time span"));
        }
    }
}
