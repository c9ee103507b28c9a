namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Which label keys have their string values replaced with <see cref="Value"/> (<c>RedactedLabelKeys</c>): a key is
/// redacted when it contains any entry, case-insensitively. Asked once per key: the label writer keeps the answer.
/// </summary>
internal sealed class LabelRedaction
{
    /// <summary>What a redacted value is sent as.</summary>
    public const string Value = "REDACTED";

    private readonly string[] _entries;

    public LabelRedaction(IEnumerable<string>? entries) =>
        // Entries are compared with keys as written, where dots and spaces have become underscores.
        _entries = entries?.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim().Replace('.', '_').Replace(' ', '_')).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() ?? [];

    public bool IsEmpty => _entries.Length == 0;

    public bool Matches(string key)
    {
        foreach (var entry in _entries)
        {
            if (key.Contains(entry, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
