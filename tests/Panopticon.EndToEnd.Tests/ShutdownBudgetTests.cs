using System.Net;
using System.Net.Sockets;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit.Abstractions;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// After SIGTERM, a real app exits within <c>ShutdownTimeout</c> (plus half a second) of the time the same app takes
/// with the SDK disabled, whatever state the Producer is in; what could not be sent is reported in one WARN line.
/// </summary>
public sealed class ShutdownBudgetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("up")]
    [InlineData("down")]
    [InlineData("hanging")]
    [InlineData("503 with Retry-After: 60")]
    public async Task After_SIGTERM_the_app_exits_within_ShutdownTimeout_of_the_same_app_with_the_sdk_disabled(string producerState)
    {
        using var producer = WireMockServer.Start();
        using var hanging = new TcpListener(IPAddress.Loopback, 0); // accepts connections (the kernel does), never answers
        hanging.Start();
        var endpoint = producerState switch
        {
            "up" => producer.Url!,
            "down" => $"http://127.0.0.1:{ExportHealthProcessTests.FreePort()}",
            "hanging" => $"http://127.0.0.1:{((IPEndPoint)hanging.LocalEndpoint).Port}",
            _ => producer.Url!,
        };
        producer.Given(Request.Create().UsingPost()).RespondWith(
            producerState == "up" ? Response.Create().WithStatusCode(202) : Response.Create().WithStatusCode(503).WithHeader("Retry-After", "60"));

        await using var baseline = await TestAppProcess.StartAsync(ExportHealthProcessTests.Environment(endpoint, enabled: false, ShutdownTimeout));
        await using var app = await TestAppProcess.StartAsync(ExportHealthProcessTests.Environment(endpoint, enabled: true, ShutdownTimeout));
        if (producerState != "up")
        {
            await UntilAsync(() => app.SdkWarnings.Count > 0, app); // the outage is under way: records are held
        }
        else
        {
            await UntilAsync(() => producer.LogEntries.Any(), app);
        }

        output.WriteLine($"SIGTERM at {DateTime.UtcNow:HH:mm:ss.fff}");
        var stops = await Task.WhenAll(baseline.TerminateAsync(), app.TerminateAsync());
        var (baselineExit, baselineTime) = stops[0];
        var (exitCode, elapsed) = stops[1];

        Assert.Equal(0, baselineExit);
        Assert.Equal(0, exitCode);
        Assert.True(
            elapsed <= baselineTime + ShutdownTimeout + TimeSpan.FromSeconds(1),
            $"Producer {producerState}: exited {elapsed.TotalSeconds:0.00} s after SIGTERM; with the SDK disabled {baselineTime.TotalSeconds:0.00} s.{Environment.NewLine}{app.Output}");
        var shutdownLines = app.SdkWarnings.Where(l => l.Contains("shutdown used its whole ShutdownTimeout (2 s)", StringComparison.Ordinal)).ToList();
        if (producerState == "up")
        {
            Assert.Empty(shutdownLines);
        }
        else
        {
            Assert.Matches(@"^warn: Panopticon\.Sdk\.Export\[0\] Panopticon: shutdown used its whole ShutdownTimeout \(2 s\); \d+ records? \(\d+ logs, \d+ spans\) could not be sent and were dropped\.$", Assert.Single(shutdownLines));
        }

        output.WriteLine($"Producer {producerState}: exit {elapsed.TotalSeconds:0.00} s after SIGTERM (SDK disabled: {baselineTime.TotalSeconds:0.00} s)");
        output.WriteLine(app.Output);
    }

    private static async Task UntilAsync(Func<bool> condition, TestAppProcess app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out; the app printed:" + Environment.NewLine + app.Output);
            await Task.Delay(20);
        }
    }
}
