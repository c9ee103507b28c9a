using System.Diagnostics;
using Panopticon.Quickstart;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// An app started with an invalid option, in its own process as users run it: it stops at startup, and what it
/// prints names the option and its value, with no internal error of the SDK's before or after.
/// </summary>
public sealed class InvalidOptionsProcessTests
{
    [Fact]
    public async Task An_app_with_an_invalid_endpoint_prints_the_validation_message_and_no_internal_error()
    {
        var start = new ProcessStartInfo(DotnetHost.Path, [Path.Combine(AppContext.BaseDirectory, "Panopticon.Samples.WebApi.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PANOPTICON_API_KEY"] = "e2e-invalid-options-key";
        start.Environment["Panopticon__Endpoint"] = "htps://x";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["ConnectionStrings__Orders"] = "Data Source=:memory:";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var printed = await stdout + await stderr;
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Panopticon:Endpoint 'htps://x' must be an absolute http(s) URL.", printed);
        Assert.DoesNotContain("Internal error", printed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("e2e-invalid-options-key", printed);
    }
}
