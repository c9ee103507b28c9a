using System.Text;
using System.Text.Json;

namespace Panopticon.Sdk.Transport;

/// <summary>
/// The Producer's explanation of a refused payload, from the start of its answer: the <c>detail</c>, <c>message</c>,
/// <c>title</c> or <c>error</c> of a JSON body (problem details, NestJS errors), else the text itself; on one line,
/// at most <see cref="MaxLength"/> characters.
/// </summary>
internal static class ProducerReason
{
    public const int MaxLength = 200;

    /// <summary>Bytes of the body read at most: enough for a reason, never a large body.</summary>
    public const int MaxBodyBytes = 4096;

    private static readonly string[] Fields = ["detail", "message", "title", "error"];

    public static string? From(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0)
        {
            return null;
        }

        return Shorten(FromJson(text) ?? text);
    }

    private static string? FromJson(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var field in Fields)
            {
                if (json.RootElement.TryGetProperty(field, out var value))
                {
                    switch (value.ValueKind)
                    {
                        case JsonValueKind.String when value.GetString() is { Length: > 0 } reason:
                            return reason;
                        case JsonValueKind.Array:
                            return string.Join("; ", value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Cut off, or not JSON: the text itself is the reason.
        }

        return null;
    }

    private static string Shorten(string reason)
    {
        var oneLine = string.Join(' ', reason.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxLength ? oneLine : oneLine[..(MaxLength - 1)] + "…";
    }
}
