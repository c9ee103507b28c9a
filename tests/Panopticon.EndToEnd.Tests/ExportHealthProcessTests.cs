using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// A real app process shows export problems in its own console output: one WARN when the problem starts, nothing more
/// within the minute, one INFO when the Producer accepts batches again; the API key never appears.
/// </summary>
public sealed class ExportHealthProcessTests
{
    private const string Key = "pk_live_e2e_5b4a3c2d1e0f";
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_rejected_key_prints_one_WARN_within_a_flush_interval_then_one_INFO_once_accepted_and_never_the_key()
    {
        using var producer = WireMockServer.Start();
        producer.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(401));
        // A generous attempt timeout: WireMock's first answer can take seconds on a busy machine, and a timeout is
        // (rightly) a WARN of its own, which is not what this test is about.
        await using var app = await TestAppProcess.StartAsync(Environment(producer.Url!, exportTimeout: TimeSpan.FromSeconds(30)));
        var sinceStart = Stopwatch.StartNew();

        await UntilAsync(() => app.SdkWarnings.Count > 0, TimeSpan.FromSeconds(15), app);
        var firstWarnAfter = sinceStart.Elapsed;
        await HoldsAsync(() => app.SdkWarnings.Count == 1, FlushInterval * 5, app); // batches keep being rejected meanwhile

        producer.Reset();
        producer.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        await UntilAsync(() => app.SdkInfos.Count > 0, TimeSpan.FromSeconds(15), app);
        await HoldsAsync(() => app.SdkInfos.Count == 1, FlushInterval * 3, app);
        var (exitCode, _) = await app.TerminateAsync();

        var host = new Uri(producer.Url!).Authority;
        Assert.Matches($@"^warn: Panopticon\.Sdk\.Export\[0\] Panopticon: the Producer rejected the API key \(HTTP 401 from {host}\); \d+ records? not sent\. Check Panopticon:ApiKey or PANOPTICON_API_KEY\.$", Assert.Single(app.SdkWarnings));
        Assert.Matches($@"^info: Panopticon\.Sdk\.Export\[0\] Panopticon: the Producer at {host} accepts batches again after [\d.]+ s; held records are being sent\.$", Assert.Single(app.SdkInfos));
        Assert.True(firstWarnAfter < FlushInterval + TimeSpan.FromSeconds(5), $"first WARN after {firstWarnAfter}");
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(Key[4..], app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_prints_one_WARN_that_records_are_held_then_one_INFO_when_the_Producer_comes_up()
    {
        var port = FreePort();
        await using var app = await TestAppProcess.StartAsync(Environment($"http://127.0.0.1:{port}"));

        await UntilAsync(() => app.SdkWarnings.Count > 0, TimeSpan.FromSeconds(15), app);
        await HoldsAsync(() => app.SdkWarnings.Count == 1, FlushInterval * 5, app);

        using var producer = WireMockServer.Start(port);
        producer.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        await UntilAsync(() => app.SdkInfos.Count > 0, TimeSpan.FromSeconds(30), app); // the next probe: at most 30 s away
        var (exitCode, _) = await app.TerminateAsync();

        Assert.Matches($@"^warn: Panopticon\.Sdk\.Export\[0\] Panopticon: the Producer at 127\.0\.0\.1:{port} is unreachable \(HttpRequestException: Connection refused \(127\.0\.0\.1:{port}\)\); \d+ records? held in memory until it answers \(beyond MaxQueueSize, 10000 per signal, the oldest are dropped\)\.$", Assert.Single(app.SdkWarnings));
        Assert.Single(app.SdkInfos);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(Key[4..], app.Output, StringComparison.Ordinal);
        var sent = producer.LogEntries.Select(e => Encoding.UTF8.GetString(e.RequestMessage.BodyAsBytes!)).ToList(); // inflated by WireMock
        Assert.Contains(sent, body => body.Contains("Tick", StringComparison.Ordinal)); // the held records arrive once it is up
        Assert.DoesNotContain(sent, body => body.Contains("Panopticon.Sdk.Export", StringComparison.Ordinal)); // the SDK's own lines never are sent
    }

    internal static Dictionary<string, string> Environment(string endpoint, bool enabled = true, TimeSpan? shutdownTimeout = null, TimeSpan? exportTimeout = null) => new()
    {
        ["Panopticon__Endpoint"] = endpoint,
        ["Panopticon__ApiKey"] = Key,
        ["Panopticon__ServiceName"] = "e2e-test-app",
        ["Panopticon__Enabled"] = enabled ? "true" : "false",
        ["Panopticon__FlushInterval"] = FlushInterval.ToString(),
        ["Panopticon__ExportTimeout"] = (exportTimeout ?? TimeSpan.FromSeconds(3)).ToString(), // a hanging Producer is noticed sooner than the default 10 s
        ["Panopticon__ShutdownTimeout"] = (shutdownTimeout ?? TimeSpan.FromSeconds(5)).ToString(),
    };

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, TestAppProcess app)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, "Timed out; the app printed:" + System.Environment.NewLine + app.Output);
            await Task.Delay(20);
        }
    }

    // Real time on purpose: the once-a-minute limit is checked against what a user sees in the following seconds.
    private static async Task HoldsAsync(Func<bool> condition, TimeSpan duration, TestAppProcess app)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            Assert.True(condition(), "The app printed:" + System.Environment.NewLine + app.Output);
            await Task.Delay(50);
        }
    }
}
