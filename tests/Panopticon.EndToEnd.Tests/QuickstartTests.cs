using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Panopticon.Quickstart;
using Xunit.Abstractions;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// The README's first command, run as users run it (its built dll in its own process): it must start both apps,
/// drive traffic, and print a complete trace, the per-endpoint statistics and the viewer link, then exit 0.
/// </summary>
public sealed class QuickstartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_quickstart_prints_a_complete_trace_and_exits_0()
    {
        var (exitCode, text) = await RunQuickstartAsync();
        output.WriteLine(text);

        Assert.True(exitCode == 0, $"exit code {exitCode}");
        Assert.Contains("✓ Producer (reference backend)", text);
        Assert.Contains("✓ Orders API (demo app)", text);
        Assert.Matches(@"GET  /orders/fail\s+fails on purpose\s+500 Internal Server Error", text);
        Assert.Matches(@"\d+ spans and \d+ logs in \d+ traces", text);

        // The tree: the request, its HTTP call with the downstream server span beneath, and the database command.
        Assert.Matches(@"(?m)^ {4}POST /orders +server +201 +[\d.]+ ms", text);
        Assert.Matches(@"(?m)^ {4}├─ GET /inventory/WIDGET-1 +client +200 +[\d.]+ ms", text);
        Assert.Matches(@"(?m)^ {4}│  └─ GET /inventory/\{sku\} +server +200 +[\d.]+ ms", text);
        Assert.Matches(@"(?m)^ {4}└─ INSERT INTO ""Orders"".* +db +[\d.]+ ms", text);

        // Its logs, with their offsets and the span each belongs to.
        Assert.Matches(@"\+[\d.]+ ms  INFO   Placing order of 2 x WIDGET-1 for ada  \(POST /orders\)", text);
        Assert.Matches(@"\+[\d.]+ ms  INFO   Stock of WIDGET-1: \d+ in warehouse \w+  \(GET /inventory/\{sku\}\)", text);
        Assert.Matches(@"\+[\d.]+ ms  INFO   Order 1 placed from warehouse \w+  \(POST /orders\)", text);

        // The model call: an LLM span under the request, with its model, tokens and cost, above the HTTP call it made.
        Assert.Matches(@"(?m)^ {4}GET /assistant/summary +server +200 +[\d.]+ ms", text);
        Assert.Matches(@"(?m)^ {4}└─ chat gpt-4o-mini +llm +[\d.]+ ms", text);
        Assert.Matches(@"(?m)^ {7}│  gpt-4o-mini-2024-07-18 · \d+ in \(\d+ cached\) \+ \d+ out = \d+ tokens · \$0\.\d+$", text);
        Assert.Matches(@"(?m)^ {7}└─ POST /v1/chat/completions +client +200 ", text);
        Assert.Matches(@"✓ LLM call traced: chat gpt-4o-mini, \d+ tokens, \$0\.\d+ at the prices in Panopticon:GenAi:Prices", text);

        // Statistics per endpoint: three orders placed (one refused with 409 is not an error), one failure.
        Assert.Contains("Endpoints (last 60 minutes)", text);
        Assert.Matches(@"orders-api +POST /orders +3 +0 ", text);
        Assert.Matches(@"orders-api +GET /orders/fail +1 +1 ", text);
        Assert.Matches(@"orders-api +GET /inventory/\{sku\} +3 +0 ", text);

        Assert.Matches(@"✓ The failing request is recorded: GET /orders/fail is ERROR in trace [0-9a-f]{32}", text);
        Assert.Contains("✓ Complete trace: server, HTTP client and database spans with 3 logs, all under one trace id", text);
        Assert.Matches(@"Open it in the viewer: http://127\.0\.0\.1:\d+/#/trace/[0-9a-f]{32}", text);

        // Plain text when redirected, and the generated API key is only ever shown abbreviated.
        Assert.DoesNotContain("\u001b[", text);
        Assert.DoesNotMatch("qs_[0-9a-f]{8,}", text);
    }

    private static async Task<(int ExitCode, string Output)> RunQuickstartAsync()
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(ChildApps.QuickstartDll);
        start.Environment.Remove("NO_COLOR");

        using var process = new Process { StartInfo = start };
        var text = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the quickstart did not finish within {Timeout.TotalMinutes:0} minutes:\n{Snapshot()}");
        }

        process.WaitForExit(); // drains the output readers
        return (process.ExitCode, Snapshot());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }
            }
        }

        string Snapshot()
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }
}
