using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Benchmarks.Support;

namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>
/// Benchmark 4b (<c>sampling</c>): the request scenario's endpoint (route value, one log line, short text) with
/// <c>AddPanopticonMonitoring</c> at <c>TracesSampleRatio</c> 1.0, 0.1 and 0, against no SDK, in the same run: what a
/// request costs when its trace is sent, and when it is held until it ends and then dropped (ratio 0: every trace).
/// Same load (in-process loop over plain sockets, concurrency 32), same out-of-process sink, interleaved rounds after
/// unmeasured rotations; CPU is the whole process's per request, also paired against no SDK within each rotation.
/// </summary>
internal sealed class SamplingOverheadScenario(int requests, int concurrency, int rounds)
{
    private const int WarmupRounds = 2;

    /// <summary>The contenders: no SDK (null), then Panopticon at each ratio.</summary>
    private static readonly double?[] Ratios = [null, 1.0, 0.1, 0.0];

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        Console.WriteLine($"== Sampling overhead: {requests:N0} requests, concurrency {concurrency}, median of {rounds} rounds ==");
        await using var sink = await SinkProcess.StartAsync();
        var runs = Ratios.ToDictionary(r => r ?? -1, _ => new List<Round>());
        for (var round = -WarmupRounds; round < rounds; round++)
        {
            foreach (var ratio in Ratios)
            {
                var run = await RunOnceAsync(ratio, sink.BaseUrl);
                if (round >= 0)
                {
                    runs[ratio ?? -1].Add(run);
                }
            }
        }

        var results = new List<ScenarioResult>();
        var noSdk = runs[-1];
        foreach (var (ratio, list) in runs)
        {
            var name = ratio < 0 ? "NoSdk" : $"Panopticon ratio {ratio:0.0}";
            var median = list.OrderBy(r => r.PerSecond).ElementAt(list.Count / 2);
            results.Add(new ScenarioResult("Sampling overhead", name, median.PerSecond, "requests/s", median.BytesPerRequest, "bytes allocated/request", noSdk.Count > 0 ? Median(noSdk.Select(r => r.PerSecond)) : null));
            var extraCpu = Median(list.Zip(noSdk, (r, b) => r.CpuMicroseconds - b.CpuMicroseconds));
            Console.WriteLine($"  {name,-22} {median.PerSecond,10:N0} requests/s  {median.BytesPerRequest,8:N0} B/request  {Median(list.Select(r => r.CpuMicroseconds)),6:N1} µs CPU/request (median), {extraCpu,5:+0.0;-0.0} over no SDK (paired)  sent {median.SentPerRequest:N2} records/request  (rounds: {string.Join(", ", list.Select(r => r.PerSecond.ToString("N0")))})");
        }

        return results;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private async Task<Round> RunOnceAsync(double? ratio, string sinkUrl)
    {
        await using var app = BuildApp(ratio, sinkUrl);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var load = new RawHttpLoad(new IPEndPoint(IPAddress.Loopback, address.Port), concurrency);
        await load.DriveAsync("/orders/", Math.Max(requests / 10, 500)); // warm-up: JIT, connections, pools
        var client = app.Services.GetService<IPanopticonClient>();
        if (client is not null)
        {
            await client.FlushAsync();
        }

        GC.Collect();
        var before = client?.Statistics;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await load.DriveAsync("/orders/", requests);
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        double sent = 0;
        if (client is not null && before is not null)
        {
            await client.FlushAsync();
            var after = client.Statistics;
            if (after.TracesSampled + after.TracesNotSampled - before.TracesSampled - before.TracesNotSampled < (ratio < 1 ? requests : 0))
            {
                throw new InvalidOperationException("Panopticon did not decide every request's trace: the run would measure less than it claims.");
            }

            sent = (double)(after.Sent - before.Sent) / requests;
        }

        await app.StopAsync();
        return new Round(requests / watch.Elapsed.TotalSeconds, (double)allocated / requests, cpu.TotalMicroseconds / requests, sent);
    }

    private static WebApplication BuildApp(double? ratio, string sinkUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        if (ratio is { } sampleRatio)
        {
            builder.Services.AddPanopticonMonitoring(options =>
            {
                options.ApiKey = "benchmark";
                options.Endpoint = sinkUrl;
                options.ServiceName = "benchmark";
                options.TracesSampleRatio = sampleRatio;
            });
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.OrderEndpoint");
        app.MapGet("/orders/{id:int}", (int id, HttpResponse response) =>
        {
            logger.LogInformation("Order {OrderId} requested", id);
            var body = "order " + id;
            response.ContentLength = body.Length;
            return body;
        });
        return app;
    }

    /// <summary>One measured round, per request: requests/s, bytes allocated, process CPU, records the Producer accepted.</summary>
    private readonly record struct Round(double PerSecond, double BytesPerRequest, double CpuMicroseconds, double SentPerRequest);
}
