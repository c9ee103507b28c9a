using System.Globalization;
using System.Text;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Formats a log message from its template (<c>"Order {OrderId} shipped"</c>) and argument values exactly as
/// Microsoft.Extensions.Logging does: named holes become positional ones (alignment and format kept, <c>{{</c> and
/// <c>}}</c> escapes honoured), values are formatted with the invariant culture and <see langword="null"/> as
/// <c>(null)</c>. Runs on the export thread, so the logging thread keeps only the template and the values.
/// Not thread-safe (one per serializer).
/// </summary>
internal sealed class MessageTemplates
{
    private const int MaxCached = 1024; // as the framework's own formatter cache
    private const int MaxKeptBuffer = 64 * 1024; // a longer message gets a buffer of its own, not kept afterwards
    private const int MaxReusedArguments = 8;

    private readonly Dictionary<string, CompositeFormat> _formats = new(StringComparer.Ordinal);
    private readonly List<object?[]> _arguments = []; // one reusable array per argument count
    private char[] _buffer = new char[512];

    /// <summary>
    /// The message, formatted into a buffer this instance reuses (no string per line): valid until the next call.
    /// </summary>
    public ReadOnlySpan<char> Format(string template, List<RecordTag> values)
    {
        // The framework formats nothing when there are no arguments: the template is the message, escapes and all.
        if (values.Count == 0)
        {
            return template;
        }

        var arguments = ArgumentsFor(values.Count);
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = values[i].Value ?? "(null)";
        }

        try
        {
            var format = FormatFor(template);
            if (_buffer.Length > MaxKeptBuffer)
            {
                _buffer = new char[512];
            }

            int written;
            while (!_buffer.AsSpan().TryWrite(CultureInfo.InvariantCulture, format, out written, arguments))
            {
                _buffer = new char[_buffer.Length * 2];
            }

            return _buffer.AsSpan(0, written);
        }
        finally
        {
            Array.Clear(arguments); // the values are the record's, not this cache's
        }
    }

    private object?[] ArgumentsFor(int count)
    {
        if (count > MaxReusedArguments)
        {
            return new object?[count];
        }

        while (_arguments.Count < count)
        {
            _arguments.Add(new object?[_arguments.Count + 1]);
        }

        return _arguments[count - 1];
    }

    private CompositeFormat FormatFor(string template)
    {
        if (_formats.TryGetValue(template, out var format))
        {
            return format;
        }

        format = CompositeFormat.Parse(ToPositional(template));
        if (_formats.Count < MaxCached)
        {
            _formats[template] = format;
        }

        return format;
    }

    /// <summary><c>"Order {OrderId,5:N0} for {{literal}}"</c> → <c>"Order {0,5:N0} for {{literal}}"</c>.</summary>
    internal static string ToPositional(string template)
    {
        var positional = new StringBuilder(template.Length);
        var hole = 0;
        var scan = 0;
        while (scan < template.Length)
        {
            var open = FindBrace(template, '{', scan);
            var close = FindBrace(template, '}', open);
            if (close == template.Length)
            {
                positional.Append(template, scan, template.Length - scan);
                break;
            }

            // A hole is {name[,alignment][:format]}: the name becomes its position, the rest stays.
            var delimiter = template.AsSpan(open, close - open).IndexOfAny(',', ':');
            var nameEnd = delimiter < 0 ? close : open + delimiter;
            positional.Append(template, scan, open - scan + 1)
                .Append(hole++)
                .Append(template, nameEnd, close - nameEnd + 1);
            scan = close + 1;
        }

        return positional.ToString();
    }

    /// <summary>
    /// The first unescaped <paramref name="brace"/> from <paramref name="start"/> (the template's length if none): in a
    /// run of braces an even count is only escapes; for '{' the last of an odd run opens the hole, for '}' the first closes it.
    /// </summary>
    private static int FindBrace(string template, char brace, int start)
    {
        var found = template.Length;
        var run = 0;
        for (var i = start; i < template.Length; i++)
        {
            if (template[i] == brace)
            {
                if (brace == '{' || run == 0)
                {
                    found = i;
                }

                run++;
            }
            else if (run > 0)
            {
                if (run % 2 == 1)
                {
                    break;
                }

                run = 0;
                found = template.Length;
            }
        }

        return found;
    }
}
