using System.Text;

namespace Panopticon.Sdk.EntityFrameworkCore;

/// <summary>
/// Replaces the literal values in a SQL command with <c>?</c>: string literals (<c>'a@b.c'</c>, <c>N'x'</c>, with
/// <c>''</c> escapes) and numbers that are not part of a name (<c>42</c>, <c>-1.5e3</c>, <c>0x1F</c>, but not <c>t0</c>
/// or <c>@p0</c>). Parameters, quoted identifiers (<c>"x"</c>, <c>[x]</c>, <c>`x`</c>) and comments are kept as written.
/// </summary>
internal static class SqlLiterals
{
    public const string Placeholder = "?";

    public static string Scrub(string sql)
    {
        if (!sql.Contains('\'', StringComparison.Ordinal) && sql.AsSpan().IndexOfAnyInRange('0', '9') < 0)
        {
            return sql; // nothing that could be a literal: no copy
        }

        StringBuilder? scrubbed = null;
        var copiedUpTo = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var end = c switch
            {
                '\'' => EndOfQuoted(sql, i, '\''),
                '"' or '`' => -EndOfQuoted(sql, i, c), // identifiers: skipped, kept
                '[' => -EndOf(sql, i + 1, "]"),
                '-' when Next(sql, i) == '-' => -EndOf(sql, i, "\n"),
                '/' when Next(sql, i) == '*' => -EndOf(sql, i + 2, "*/"),
                _ when char.IsAsciiDigit(c) && !IsNamePart(Previous(sql, i)) => EndOfNumber(sql, i),
                _ => 0,
            };

            if (end > 0)
            {
                // A one-letter prefix (N'…', E'…', X'…', B'…') belongs to the string literal.
                var start = c == '\'' && i > 0 && char.IsAsciiLetter(sql[i - 1]) && !IsNamePart(Previous(sql, i - 1)) ? i - 1 : i;
                scrubbed ??= new StringBuilder(sql.Length);
                scrubbed.Append(sql, copiedUpTo, start - copiedUpTo).Append(Placeholder);
                copiedUpTo = end;
                i = end;
            }
            else if (end < 0)
            {
                i = -end;
            }
            else
            {
                i = IsNamePart(c) ? EndOfName(sql, i) : i + 1;
            }
        }

        return scrubbed is null ? sql : scrubbed.Append(sql, copiedUpTo, sql.Length - copiedUpTo).ToString();
    }

    private static char Next(string sql, int i) => i + 1 < sql.Length ? sql[i + 1] : '\0';

    private static char Previous(string sql, int i) => i > 0 ? sql[i - 1] : '\0';

    /// <summary>Letters, digits and the characters that start parameters or continue names (<c>@p0</c>, <c>$1</c>, <c>:id</c>, <c>#t</c>).</summary>
    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c is '_' or '@' or '$' or ':' or '#' or '?';

    private static int EndOfName(string sql, int i)
    {
        while (i < sql.Length && IsNamePart(sql[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>The index after the closing quote; a doubled quote is an escaped one. An unclosed literal runs to the end.</summary>
    private static int EndOfQuoted(string sql, int open, char quote)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (Next(sql, i) != quote)
                {
                    return i + 1;
                }

                i++;
            }

            i++;
        }

        return sql.Length;
    }

    private static int EndOf(string sql, int from, string terminator)
    {
        var at = sql.IndexOf(terminator, from, StringComparison.Ordinal);
        return at < 0 ? sql.Length : at + terminator.Length;
    }

    private static int EndOfNumber(string sql, int i)
    {
        if (sql[i] == '0' && Next(sql, i) is 'x' or 'X')
        {
            i += 2;
            while (i < sql.Length && char.IsAsciiHexDigit(sql[i]))
            {
                i++;
            }

            return i;
        }

        while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.'))
        {
            i++;
        }

        if (i < sql.Length && sql[i] is 'e' or 'E' && (char.IsAsciiDigit(Next(sql, i)) || (Next(sql, i) is '+' or '-' && i + 2 < sql.Length && char.IsAsciiDigit(sql[i + 2]))))
        {
            i += 2;
            while (i < sql.Length && char.IsAsciiDigit(sql[i]))
            {
                i++;
            }
        }

        return i;
    }
}
