using System.Text.Encodings.Web;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Writes one field's string values, keeping the last one encoded when the very same instance comes again. Not thread-safe.
/// </summary>
/// <remarks>
/// Instrumentation passes the same string instance (a literal, a route template, an interned HTTP method) on many
/// records; pre-encoded bytes skip the writer's escaping and UTF-16 transcoding. A value is encoded only on its second
/// record in a row, so values that change every time cost no allocation; only short values are kept.
/// </remarks>
internal sealed class RepeatedValue
{
    private const int MaxLength = 64;
    private string? _last;
    private JsonEncodedText? _encoded;

    /// <summary>Writes <paramref name="value"/>, cut to the value limit by <paramref name="fields"/> (<see langword="null"/>: whole).</summary>
    public void Write(Utf8JsonWriter writer, JsonEncodedText name, string value, JsonFieldWriter? fields)
    {
        if (ReferenceEquals(value, _last))
        {
            _encoded ??= JsonEncodedText.Encode(fields is null ? value : fields.Truncate(value), JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
            writer.WriteString(name, _encoded.Value);
            return;
        }

        _last = value.Length <= MaxLength ? value : null;
        _encoded = null;
        writer.WriteString(name, fields is null ? value : fields.Truncate(value));
    }
}
