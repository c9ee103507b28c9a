using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>
/// Benchmark 5: the endpoint is down (a closed loopback port refuses every connection) while the application keeps
/// logging 10 000 lines per second through <c>ILogger</c>. Every 5 s: live managed heap (after a full collection),
/// working set, records pending and dropped. Once the queue is full, memory must stay flat: bounded by
/// <c>MaxQueueSize</c> × record size, not growing with time.
/// </summary>
internal sealed class OutageScenario(int seconds, int recordsPerSecond = 10_000)
{
    private const int SampleSeconds = 5;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        var port = ClosedPort();
        Console.WriteLine($"== Outage memory: {recordsPerSecond:N0} log records/s for {seconds} s to refusing endpoint http://127.0.0.1:{port} ==");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        services.AddPanopticon(options =>
        {
            options.ApiKey = "benchmark";
            options.Endpoint = $"http://127.0.0.1:{port}";
            options.ServiceName = "benchmark";
            options.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }).AddLogTracking();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IPanopticonClient>();
        // Not a Panopticon.* category: the SDK ignores its own categories (they would report on themselves).
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.OrderService");
        using var activity = new Activity("outage").SetIdFormat(ActivityIdFormat.W3C).Start();

        var samples = new List<(int Second, long Heap, long WorkingSet)>();
        var watch = Stopwatch.StartNew();
        long written = 0;
        var nextSample = SampleSeconds;
        Console.WriteLine("   time   managed heap    working set    pending    dropped");
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            // Keep to the rate in 10 ms slices.
            var due = (long)(watch.Elapsed.TotalSeconds * recordsPerSecond);
            for (; written < due; written++)
            {
                logger.LogInformation("Order {OrderId} shipped to {City}", written, "Berlin");
            }

            if (watch.Elapsed.TotalSeconds >= nextSample)
            {
                samples.Add(Sample(nextSample, client));
                nextSample += SampleSeconds;
            }

            Thread.Sleep(10);
        }

        // Verdict over the samples once the queue has filled (after the first sample): spread of the live heap.
        var steady = samples.Skip(1).ToList();
        var spread = steady.Count > 1 ? steady.Max(s => s.Heap) - steady.Min(s => s.Heap) : 0;
        var last = samples.LastOrDefault();
        Console.WriteLine($"  wrote {written:N0} records; live heap spread after the queue filled: {spread / 1024.0 / 1024:N2} MiB");
        return [new ScenarioResult("Outage memory", "Panopticon", last.Heap / 1024.0 / 1024, "MiB live heap at end", spread / 1024.0 / 1024, "MiB spread after queue full", null)];
    }

    private static (int, long, long) Sample(int second, IPanopticonClient client)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var workingSet = Process.GetCurrentProcess().WorkingSet64;
        var statistics = client.Statistics;
        var dropped = statistics.Dropped;
        Console.WriteLine($"  {second,4} s  {heap / 1024.0 / 1024,9:N1} MiB  {workingSet / 1024.0 / 1024,9:N1} MiB  {client.BufferSize,9:N0}  {dropped,9:N0}");
        return (second, heap, workingSet);
    }

    private static int ClosedPort()
    {
        // Bind, read the port, release it: nothing listens there afterwards, so connections are refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
