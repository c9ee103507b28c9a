using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Panopticon.Producer.Tests;

/// <summary>Opens the viewer in a real headless Chromium against a Producer on a loopback port.</summary>
public sealed partial class ViewerBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task The_trace_view_shows_the_waterfall_and_the_trace_logs()
    {
        await using var producer = await KestrelProducer.StartAsync();
        var trace = await SeedTraceAsync(producer.Client);
        var url = new Uri(producer.Address, $"/#/trace/{trace.TraceId}");

        var dom = await RunChromiumAsync("--dump-dom", url.ToString());

        Assert.Contains($"id=\"trace-view\" data-trace-id=\"{trace.TraceId}\"", dom);
        var rows = SpanRows().Matches(dom).Select(m => m.Groups["id"].Value).ToList();
        Assert.Equal(trace.SpanIdsInWaterfallOrder, rows); // nested by parent, children by start time
        Assert.Contains($"class=\"span-row kind-CLIENT status-ERROR\" data-span-id=\"{trace.ErrorSpanId}\"", dom);
        Assert.Contains("data-depth=\"2\"", dom);
        Assert.Equal(3, LogRows().Matches(dom).Count);
        Assert.Contains("order 7 loaded from the database", dom);
        Assert.Contains("payment provider timed out", dom);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; is shown as text", dom);
    }

    [ChromiumFact]
    public async Task The_overview_lists_recent_traces_and_endpoint_stats()
    {
        await using var producer = await KestrelProducer.StartAsync();
        var trace = await SeedTraceAsync(producer.Client);

        var screenshot = Path.Combine(ArtifactsDirectory(), "viewer-overview.png");
        File.Delete(screenshot);

        var dom = await RunChromiumAsync("--dump-dom", producer.Address.ToString());
        await RunChromiumAsync($"--screenshot={screenshot}", "--window-size=1280,900", producer.Address.ToString());

        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should be a real image");
        output.WriteLine($"Viewer screenshot: {screenshot}");
        Assert.Contains($"class=\"clickable trace-row\" data-trace-id=\"{trace.TraceId}\"", dom);
        Assert.Contains("GET /orders/{id}", dom);
        Assert.Contains("id=\"endpoint-stats\"", dom);
        Assert.Equal(2, EndpointRows().Matches(dom).Count); // GET /orders/{id} and GET /payments/{id}
    }

    [ChromiumFact]
    public async Task A_query_string_deep_link_opens_the_trace_and_a_screenshot_is_kept()
    {
        await using var producer = await KestrelProducer.StartAsync();
        var trace = await SeedTraceAsync(producer.Client);
        var url = new Uri(producer.Address, $"/?trace={trace.TraceId}");
        var screenshot = Path.Combine(ArtifactsDirectory(), "viewer-trace.png");
        File.Delete(screenshot);

        var dom = await RunChromiumAsync("--dump-dom", url.ToString());
        await RunChromiumAsync($"--screenshot={screenshot}", "--window-size=1280,900", url.ToString());

        Assert.Contains($"id=\"trace-view\" data-trace-id=\"{trace.TraceId}\"", dom);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should be a real image");
        output.WriteLine($"Viewer screenshot: {screenshot}");
    }

    private sealed record SeededTrace(string TraceId, string ErrorSpanId, IReadOnlyList<string> SpanIdsInWaterfallOrder);

    /// <summary>orders: GET /orders/{id} → [SELECT orders, GET (client, ERROR) → payments: GET /payments/{id}]; three logs.</summary>
    private static async Task<SeededTrace> SeedTraceAsync(HttpClient client)
    {
        var traceId = Wire.NewTraceId();
        var (root, db, call, remote) = (Wire.NewSpanId(), Wire.NewSpanId(), Wire.NewSpanId(), Wire.NewSpanId());
        var start = DateTimeOffset.UtcNow.AddSeconds(-5);

        var clientSpan = Wire.Span(traceId, call, root, "GET", "CLIENT", "ERROR", 180, start.AddMilliseconds(40), "orders");
        clientSpan["labels"] = new JsonObject { ["http_url"] = "http://payments/payments/7", ["error_type"] = "TimeoutException" };
        var spans = Wire.Array(
            Wire.Span(traceId, remote, call, "GET /payments/{id}", "SERVER", "OK", 150, start.AddMilliseconds(50), "payments"),
            clientSpan,
            Wire.Span(traceId, db, root, "SELECT orders", "INTERNAL", "OK", 25, start.AddMilliseconds(5), "orders"),
            Wire.Span(traceId, root, null, "GET /orders/{id}", "SERVER", "ERROR", 240, start, "orders"));
        var logs = Wire.Array(
            Wire.Log("order 7 loaded from the database", "INFO", traceId, db, start.AddMilliseconds(30), "orders"),
            Wire.Log("payment provider timed out", "ERROR", traceId, call, start.AddMilliseconds(220), "orders"),
            Wire.Log("<script>alert(1)</script> is shown as text", "WARN", traceId, remote, start.AddMilliseconds(100), "payments"));

        using var spanResponse = await client.PostAsync("/sdk/traces", spans, gzip: true);
        using var logResponse = await client.PostAsync("/sdk/logs", logs);
        Assert.Equal(HttpStatusCode.Accepted, spanResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, logResponse.StatusCode);
        return new SeededTrace(traceId, call, [root, db, call, remote]);
    }

    private async Task<string> RunChromiumAsync(params string[] arguments)
    {
        var profile = Path.Combine(Path.GetTempPath(), "panopticon-chromium-" + Guid.NewGuid().ToString("n"));
        var start = new ProcessStartInfo(ChromiumFactAttribute.ChromiumPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--virtual-time-budget=5000", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within 90 s: {await stderr}");
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its profile; the temp folder is disposable.
            }
        }

        var dom = await stdout;
        if (process.ExitCode != 0)
        {
            output.WriteLine(await stderr);
        }

        Assert.Equal(0, process.ExitCode);
        return dom;
    }

    /// <summary>PANOPTICON_TEST_ARTIFACTS if set, else TestResults/ next to this test project.</summary>
    private static string ArtifactsDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("PANOPTICON_TEST_ARTIFACTS");
        var directory = configured;
        if (string.IsNullOrEmpty(directory))
        {
            var project = new DirectoryInfo(AppContext.BaseDirectory);
            while (project is not null && !File.Exists(Path.Combine(project.FullName, "Panopticon.Producer.Tests.csproj")))
            {
                project = project.Parent;
            }

            directory = Path.Combine(project?.FullName ?? AppContext.BaseDirectory, "TestResults");
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    [GeneratedRegex("class=\"span-row [^\"]*\" data-span-id=\"(?<id>[0-9a-f]{16})\"")]
    private static partial Regex SpanRows();

    [GeneratedRegex("<tr class=\"log-line\"")]
    private static partial Regex LogRows();

    [GeneratedRegex("<tr class=\"endpoint-row\"")]
    private static partial Regex EndpointRows();
}
