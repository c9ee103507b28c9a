using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>
/// The export path in a young process: a fresh process writes what a service writes per request (one span, one log
/// line) round after round, each round flushed through the engine to a discarding transport (or, with <c>--export gzip</c>
/// or <c>none</c>, over HTTP to the sink in a child process, to see what sending adds), and prints the process's
/// CPU per request for each round. The first rounds run code the JIT has not optimised yet (tier 0, then instrumented
/// for profile-guided optimisation); the last ones show the same work warm. Run it in a process of its own
/// (<c>-- young</c>): a process that already ran other benchmarks is not young.
/// </summary>
internal sealed class YoungExportScenario(int requestsPerRound, int rounds, string export)
{
    private const string ServerSource = "Microsoft.AspNetCore";

    public async Task RunAsync()
    {
        Console.WriteLine($"== Young process: {rounds} rounds of {requestsPerRound:N0} requests (a span and a log line each), flushed per round, export: {export} ==");
        await using var sink = export == "discard" ? null : await SinkProcess.StartAsync();
        var compression = export == "gzip" ? PanopticonCompression.Gzip : PanopticonCompression.None;
        var services = sink is null ? DiscardingApp.Services() : DiscardingApp.Exporting(sink.BaseUrl, options => options.Compression = compression);
        // What AddAspNetCore() does: the server spans' source is traced (the SDK alone listens only to its own sources).
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(ServerSource));
        await using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<TracerProvider>(); // as the host does at start: the provider listens from now on
        var client = provider.GetRequiredService<IPanopticonClient>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.OrderEndpoint");
        using var source = new ActivitySource(ServerSource);

        var warm = double.NaN;
        for (var round = 1; round <= rounds; round++)
        {
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            for (var i = 0; i < requestsPerRound; i++)
            {
                using (var activity = source.StartActivity("GET /orders/{id}", ActivityKind.Server))
                {
                    activity?.SetTag("http.request.method", "GET");
                    activity?.SetTag("url.path", "/orders/" + i);
                    activity?.SetTag("http.route", "/orders/{id}");
                    activity?.SetTag("http.response.status_code", 200);
                    logger.LogInformation("Order {OrderId} requested", i);
                }

                if (i % 1_000 == 999)
                {
                    await client.FlushAsync(); // keeps the queue from overflowing: every record is serialized
                }
            }

            await client.FlushAsync();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / requestsPerRound;
            var jit = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
            warm = cpu;
            Console.WriteLine($"  round {round,2}  {cpu,6:N1} µs CPU/request  JIT {jit,5:N0} ms");
            if (round == 1)
            {
                await Task.Delay(200); // a service between bursts; lets the JIT promote what the round made hot
            }
        }

        Console.WriteLine($"  sent {client.Statistics.Sent:N0} records; last round {warm:N1} µs/request");
        if (client.Statistics.Sent < 2L * requestsPerRound * rounds)
        {
            throw new InvalidOperationException("Panopticon did not send a span and a log line for every request: the run measured less than it claims.");
        }
    }
}
