namespace Panopticon.Quickstart;

/// <summary>Console output: plain text when redirected (tests, CI logs) or when NO_COLOR is set, ANSI colours otherwise.</summary>
internal static class Out
{
    private static readonly bool Color =
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("TERM") != "dumb";

    public static void Line(string text = "") => Console.WriteLine(text);

    public static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine(Bold(text));
    }

    public static void Ok(string text) => Console.WriteLine($"  {Green("✓")} {text}");

    public static void Fail(string text) => Console.WriteLine($"  {Red("✗")} {text}");

    public static string Bold(string text) => Paint("1", text);

    public static string Dim(string text) => Paint("2", text);

    public static string Green(string text) => Paint("32", text);

    public static string Red(string text) => Paint("31", text);

    public static string Yellow(string text) => Paint("33", text);

    public static string Cyan(string text) => Paint("36", text);

    /// <summary>Pads by visible length, so colour codes do not break column alignment.</summary>
    public static string Pad(string text, int width, int visibleLength) => text + new string(' ', Math.Max(0, width - visibleLength));

    public static string Truncate(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string Paint(string code, string text) => Color ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
