using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using Xunit.Abstractions;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// The disk buffer (<c>BufferDirectory</c>) with real processes: a kill -9 mid-burst, an outage longer than the queue,
/// and two processes sharing one directory. The Producer is WireMock; like the real one, a test counts a batch id once.
/// </summary>
public sealed partial class DiskBufferProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("panopticon-buffer-e2e-").FullName;

    [Fact]
    public async Task After_SIGKILL_mid_burst_a_restart_sends_every_log_written_before_the_last_completed_batch_exactly_once()
    {
        const int Total = 2000;
        using var producer = Producer(delay: TimeSpan.FromSeconds(2)); // slow: batches wait on disk when the kill comes
        int written;
        await using (var app = await TestAppProcess.StartAsync(Environment(producer.Url!, ("TestApp__Burst__Count", $"{Total}"), ("TestApp__Burst__PauseEvery", "100"), ("TestApp__Burst__PauseMilliseconds", "150"))))
        {
            await UntilAsync(() => app.Stdout.Contains("Burst wrote 700"), TimeSpan.FromSeconds(30), app);
            await app.KillAsync();
            written = app.Stdout.Select(l => WroteLine().Match(l)).Where(m => m.Success).Max(m => int.Parse(m.Groups[1].Value));
        }

        var beforeKill = Received(producer).Select(r => r.Seq).Concat(StoredSequences()).ToHashSet();
        var lastCompleted = beforeKill.DefaultIfEmpty(-1).Max();
        Assert.Equal(Enumerable.Range(0, lastCompleted + 1), beforeKill.Order()); // batches are completed in order: no gap
        Assert.True(lastCompleted >= 599, $"only logs up to {lastCompleted} were in completed batches; the 600th was written 150 ms before the kill");

        Serve(producer); // no more delay
        await using (var restarted = await TestAppProcess.StartAsync(Environment(producer.Url!)))
        {
            await UntilAsync(() => Received(producer).Select(r => r.Seq).ToHashSet().IsSupersetOf(beforeKill), TimeSpan.FromSeconds(30), restarted);
            await restarted.TerminateAsync();
        }

        var received = Received(producer);
        AssertEachOnce(received.Where(r => r.Seq <= lastCompleted), lastCompleted + 1);
        var arrived = received.Select(r => r.Seq).ToHashSet();
        output.WriteLine(
            $"lost/total: {written - arrived.Count(seq => seq < written)}/{written} (logs written before the kill, at least; "
            + $"{lastCompleted + 1} were in completed batches, {arrived.Count} arrived, {received.Count - arrived.Count} repeats dropped by batch id)");
    }

    [Fact]
    public async Task An_outage_longer_than_the_queue_loses_nothing_and_memory_stays_flat_while_the_disk_holds_the_records()
    {
        const int Total = 20_000;
        var port = ExportHealthProcessTests.FreePort();
        await using var app = await TestAppProcess.StartAsync(Environment(
            $"http://127.0.0.1:{port}",
            ("Panopticon__MaxQueueSize", "1000"),
            ("TestApp__Burst__Count", $"{Total}"),
            ("TestApp__Burst__PauseEvery", "100"), // ~4 000 lines/s: a quarter of a second of slack for a busy machine
            ("TestApp__Burst__PauseMilliseconds", "25"),
            ("TestApp__Burst__ReportHeap", "true")));
        await UntilAsync(() => app.Stdout.Contains("Burst done"), TimeSpan.FromSeconds(90), app);
        await UntilAsync(() => StoredSequences().Count() == Total, TimeSpan.FromSeconds(30), app);

        var heap = app.Stdout.Select(l => HeapLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => int.Parse(m.Groups[1].Value), m => long.Parse(m.Groups[2].Value));
        var growth = heap[Total] - heap[5000];
        var stored = Directory.GetFiles(Path.Combine(_directory, "logs"), "*.batch").Sum(f => new FileInfo(f).Length);
        output.WriteLine($"live heap after 5 000 logs {heap[5000] / 1024} KiB, after 20 000 {heap[Total] / 1024} KiB; on disk {stored / 1024} KiB");
        Assert.True(growth < stored / 3, $"the heap grew by {growth / 1024} KiB while the disk took {stored / 1024} KiB for 15 000 more logs");

        using var producer = Producer(port);
        await UntilAsync(() => Received(producer).Select(r => r.Seq).Distinct().Count() == Total, TimeSpan.FromSeconds(60), app);
        await app.TerminateAsync();

        AssertEachOnce(Received(producer), Total);
        Assert.DoesNotContain(app.SdkWarnings, w => w.Contains("queue was full", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_processes_sharing_the_directory_both_restarting_with_leftovers_send_each_batch_once()
    {
        const int PerApp = 1000;
        var port = ExportHealthProcessTests.FreePort(); // down while they write: everything stays on disk
        var first = await TestAppProcess.StartAsync(Environment($"http://127.0.0.1:{port}", ("TestApp__Burst__Count", $"{PerApp}"), ("TestApp__Burst__Prefix", "A")));
        var second = await TestAppProcess.StartAsync(Environment($"http://127.0.0.1:{port}", ("TestApp__Burst__Count", $"{PerApp}"), ("TestApp__Burst__Prefix", "B")));
        await UntilAsync(() => StoredSequences("A").Count() == PerApp && StoredSequences("B").Count() == PerApp, TimeSpan.FromSeconds(30), first);
        await Task.WhenAll(first.KillAsync(), second.KillAsync());
        await first.DisposeAsync();
        await second.DisposeAsync();

        using var producer = Producer(port);
        await using var firstAgain = await TestAppProcess.StartAsync(Environment(producer.Url!));
        await using var secondAgain = await TestAppProcess.StartAsync(Environment(producer.Url!));
        await UntilAsync(() => Received(producer).Count(r => r.Prefix is "A" or "B") >= 2 * PerApp, TimeSpan.FromSeconds(60), firstAgain);
        await Task.WhenAll(firstAgain.TerminateAsync(), secondAgain.TerminateAsync()); // anything sent twice would be in by now

        var received = Received(producer, dedupe: false);
        foreach (var prefix in new[] { "A", "B" })
        {
            var seqs = received.Where(r => r.Prefix == prefix).Select(r => r.Seq).ToList();
            Assert.Equal(Enumerable.Range(0, PerApp), seqs.Order()); // each once, with no batch-id dedupe at all
        }

        var batchRequests = BurstRequests(producer).GroupBy(r => r.BatchId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(batchRequests);
        output.WriteLine($"{BurstRequests(producer).Count} batches, each sent once, by {BurstRequests(producer).Select(r => r.BatchId).Distinct().Count()} ids");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static WireMockServer Producer(int? port = null, TimeSpan? delay = null)
    {
        var server = WireMockServer.Start(new WireMockServerSettings { Port = port });
        Serve(server, delay);
        return server;
    }

    private static void Serve(WireMockServer server, TimeSpan? delay = null)
    {
        server.ResetMappings();
        var accepted = Response.Create().WithStatusCode(202).WithBody("{\"success\":true}");
        server.Given(Request.Create().UsingPost()).RespondWith(delay is { } wait ? accepted.WithDelay(wait) : accepted);
    }

    private Dictionary<string, string> Environment(string endpoint, params (string Key, string Value)[] extra)
    {
        var environment = ExportHealthProcessTests.Environment(endpoint);
        environment["Panopticon__BufferDirectory"] = _directory;
        environment["Panopticon__BatchSize"] = "100";
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Burst lines of every request to /sdk/logs, each batch id counted once unless <paramref name="dedupe"/> is off.</summary>
    private static List<(string Prefix, int Seq)> Received(WireMockServer producer, bool dedupe = true)
    {
        var requests = BurstRequests(producer);
        return (dedupe ? requests.DistinctBy(r => r.BatchId) : requests).SelectMany(r => r.Lines).ToList();
    }

    private static List<(string BatchId, List<(string Prefix, int Seq)> Lines)> BurstRequests(WireMockServer producer) =>
        producer.LogEntries
            .Where(e => e.RequestMessage.Path == "/sdk/logs" && e.RequestMessage.BodyAsBytes is not null)
            .Select(e => (
                BatchId: e.RequestMessage.Headers!["X-Panopticon-Batch-Id"].Single(),
                Lines: JsonDocument.Parse(e.RequestMessage.BodyAsBytes!).RootElement.EnumerateArray()
                    .Select(r => BurstLine().Match(r.GetProperty("message").GetString()!))
                    .Where(m => m.Success)
                    .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value)))
                    .ToList()))
            .Where(r => r.Lines.Count > 0)
            .ToList();

    /// <summary>Burst sequence numbers in the batch files now in the directory (the JSON is stored as it is sent).</summary>
    private IEnumerable<int> StoredSequences(string prefix = "A")
    {
        var logs = Path.Combine(_directory, "logs");
        if (!Directory.Exists(logs))
        {
            return [];
        }

        return Directory.GetFiles(logs, "*.batch")
            .SelectMany(file =>
            {
                try
                {
                    return BurstLine().Matches(Encoding.UTF8.GetString(File.ReadAllBytes(file))).ToList();
                }
                catch (IOException)
                {
                    return []; // sent and deleted meanwhile
                }
            })
            .Where(m => m.Groups[1].Value == prefix)
            .Select(m => int.Parse(m.Groups[2].Value))
            .Distinct()
            .ToList();
    }

    private static void AssertEachOnce(IEnumerable<(string Prefix, int Seq)> received, int count)
    {
        var counts = received.GroupBy(r => r.Seq).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(0, count), counts.Keys.Order());
        var repeated = counts.Where(c => c.Value > 1).Select(c => c.Key).ToList();
        Assert.True(repeated.Count == 0, $"sent in two batches: {string.Join(", ", repeated.Take(20))}");
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, TestAppProcess app)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, "Timed out; the app printed:" + System.Environment.NewLine + app.Output);
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"Burst (\w+) (\d+)")]
    private static partial Regex BurstLine();

    [GeneratedRegex(@"^Burst wrote (\d+)")]
    private static partial Regex WroteLine();

    [GeneratedRegex(@"^Burst wrote (\d+) heap (\d+)$")]
    private static partial Regex HeapLine();
}
