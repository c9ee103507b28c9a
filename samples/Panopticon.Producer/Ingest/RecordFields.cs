using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Panopticon.Producer.Ingest;

/// <summary>
/// The top-level fields of one record, read once. Each getter returns false and sets <see cref="Error"/>
/// on the first problem, so validators read as a chain of checks without exceptions on hostile input.
/// </summary>
internal sealed partial class RecordFields
{
    private readonly Dictionary<string, JsonElement> _fields;

    private RecordFields(Dictionary<string, JsonElement> fields) => _fields = fields;

    public string? Error { get; private set; }

    /// <summary>Collects the fields of <paramref name="element"/>; rejects non-objects, duplicates and unknown names.</summary>
    public static RecordFields? Open(JsonElement element, HashSet<string> allowed, out string? error)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"record must be a JSON object, not {Describe(element.ValueKind)}";
            return null;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                error = $"unknown field '{Shorten(property.Name)}' (send extra values inside 'labels')";
                return null;
            }

            if (!fields.TryAdd(property.Name, property.Value))
            {
                error = $"duplicate field '{property.Name}'";
                return null;
            }
        }

        error = null;
        return new RecordFields(fields);
    }

    public bool Constant(string name, string expected)
    {
        if (!RequiredString(name, out var value))
        {
            return false;
        }

        return value == expected || Fail($"'{name}' must be \"{expected}\" on this route");
    }

    public bool RequiredString(string name, out string value)
    {
        value = string.Empty;
        if (!_fields.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return Fail($"missing required field '{name}'");
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return Fail($"'{name}' must be a string, not {Describe(element.ValueKind)}");
        }

        value = element.GetString()!;
        return value.Length > 0 || Fail($"'{name}' must not be empty");
    }

    public bool OptionalString(string name, out string? value)
    {
        value = null;
        if (!_fields.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return Fail($"'{name}' must be a string or null, not {Describe(element.ValueKind)}");
        }

        value = element.GetString()!;
        return true;
    }

    public bool OneOf(string name, HashSet<string> allowed, out string value) =>
        RequiredString(name, out value)
        && (allowed.Contains(value) || Fail($"'{name}' must be one of {string.Join(", ", allowed)}; got \"{Shorten(value)}\""));

    public bool RequiredId(string name, int hexLength, out string value) =>
        RequiredString(name, out value) && CheckId(name, value, hexLength);

    /// <summary>Absent or null is fine; an empty string is not (roots send JSON null, never "").</summary>
    public bool OptionalId(string name, int hexLength, out string? value) =>
        OptionalString(name, out value)
        && (value is null
            || (value.Length > 0 ? CheckId(name, value, hexLength) : Fail($"'{name}' must not be empty (send null when there is none)")));

    public bool Timestamp(string name, out DateTimeOffset value)
    {
        value = default;
        if (!RequiredString(name, out var text))
        {
            return false;
        }

        return (Iso8601().IsMatch(text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value))
            || Fail($"'{name}' must be an ISO-8601 date-time with a zone (e.g. 2025-01-31T12:00:00.000Z); got \"{Shorten(text)}\"");
    }

    public bool NonNegativeNumber(string name, out double value)
    {
        value = 0;
        if (!_fields.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return Fail($"missing required field '{name}'");
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out value) || !double.IsFinite(value))
        {
            return Fail($"'{name}' must be a finite number");
        }

        return value >= 0 || Fail($"'{name}' must not be negative");
    }

    public bool OptionalStatusCode(string name, out int? value)
    {
        value = null;
        if (!_fields.TryGetValue(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var code) || code is < 100 or > 599)
        {
            return Fail($"'{name}' must be an integer HTTP status code (100-599) or null");
        }

        value = code;
        return true;
    }

    /// <summary>Labels are a flat object of string, number or boolean values; kept as their JSON text.</summary>
    public bool Labels(out string? json)
    {
        json = null;
        if (!_fields.TryGetValue("labels", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return Fail($"'labels' must be an object, not {Describe(element.ValueKind)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in element.EnumerateObject())
        {
            if (label.Name.Length == 0)
            {
                return Fail("'labels' keys must not be empty");
            }

            if (!seen.Add(label.Name))
            {
                return Fail($"duplicate label '{Shorten(label.Name)}'");
            }

            if (label.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
            {
                return Fail($"label '{Shorten(label.Name)}' must be a string, number or boolean, not {Describe(label.Value.ValueKind)}");
            }

            if (label.Value.ValueKind == JsonValueKind.Number && !(label.Value.TryGetDouble(out var number) && double.IsFinite(number)))
            {
                return Fail($"label '{Shorten(label.Name)}' must be a finite number");
            }
        }

        json = element.GetRawText();
        return true;
    }

    public bool Fail(string reason)
    {
        Error ??= reason;
        return false;
    }

    private bool CheckId(string name, string value, int hexLength) =>
        WireSchema.IsHexId(value, hexLength)
        || Fail($"'{name}' must be {hexLength} lowercase hex digits, not all zero; got \"{Shorten(value)}\"");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    // Reasons echo input back; keep them short so a hostile record cannot inflate the response.
    private static string Shorten(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 64), "…");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Iso8601();
}
