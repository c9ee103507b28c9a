namespace Panopticon.Sdk.EntityFrameworkCore;

/// <summary>The leading SQL keyword of a command (<c>SELECT</c>, <c>INSERT</c> …), for the span name and <c>db_operation</c>; never any other part of the text.</summary>
internal static class SqlOperation
{
    private static readonly string[] Keywords =
    [
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH", "CREATE", "ALTER", "DROP", "EXEC", "EXECUTE",
        "CALL", "BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE", "TRUNCATE", "SET", "DECLARE",
    ];

    public static string? Of(string? commandText)
    {
        if (string.IsNullOrEmpty(commandText))
        {
            return null;
        }

        var text = commandText.AsSpan().TrimStart();
        foreach (var keyword in Keywords)
        {
            if (text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
                && (text.Length == keyword.Length || !char.IsLetterOrDigit(text[keyword.Length])))
            {
                return keyword;
            }
        }

        return null;
    }
}
