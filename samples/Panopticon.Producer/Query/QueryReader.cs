using System.Globalization;
using Panopticon.Producer.Ingest;

namespace Panopticon.Producer.Query;

/// <summary>
/// Reads query-string parameters with a reason for the first bad one, so the API can answer 400 with a
/// message instead of the framework's empty binding failure.
/// </summary>
internal sealed class QueryReader(IQueryCollection query)
{
    public string? Error { get; private set; }

    public string? String(string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            return Fail<string>($"'{name}' may be given only once");
        }

        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    public string? OneOf(string name, IReadOnlySet<string> allowed)
    {
        var value = String(name);
        return value is null || allowed.Contains(value) ? value : Fail<string>($"'{name}' must be one of {string.Join(", ", allowed)}");
    }

    public string? TraceId(string name)
    {
        var value = String(name);
        return value is null || WireSchema.IsHexId(value, 32) ? value : Fail<string>($"'{name}' must be 32 lowercase hex digits");
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : Fail($"'{name}' must be an integer from {min} to {max}", fallback);
    }

    public double? Double(string name, double min)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min
            ? value
            : Fail($"'{name}' must be a number not below {min}", (double?)null);
    }

    public DateTimeOffset? Time(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : Fail($"'{name}' must be an ISO-8601 date-time", (DateTimeOffset?)null);
    }

    public void Check(bool condition, string reason)
    {
        if (!condition)
        {
            Error ??= reason;
        }
    }

    private T? Fail<T>(string reason)
        where T : class
    {
        Error ??= reason;
        return null;
    }

    private T Fail<T>(string reason, T fallback)
    {
        Error ??= reason;
        return fallback;
    }
}
