using System.Diagnostics;
using System.Net;
using System.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>
/// Benchmark 4: one minimal endpoint (route parameter, one log line, a short text answer) served by Kestrel on
/// 127.0.0.1, driven by an in-process loop over plain sockets with a fixed request count and concurrency: no SDK,
/// OpenTelemetry's ASP.NET Core instrumentation alone (no processor: the server spans' own cost), Panopticon with
/// everything on (<c>AddPanopticonMonitoring</c>), OpenTelemetry (ASP.NET Core + HttpClient instrumentation, logs,
/// OTLP/HTTP exporter), Sentry (Sentry.AspNetCore: a transaction per request and structured logs). Every SDK exports to a loopback sink in a child process: a Producer or collector is never in
/// the app's process (in the same process, its server side was charged to the app and the app's listeners saw its
/// requests). Logging uses the ASP.NET Core template's defaults (<c>Microsoft.AspNetCore</c> at Warning), so each
/// request writes one log line: the endpoint's own. Only one app runs at a time (activity listeners are
/// process-wide), rounds are interleaved and each contender's median round is reported.
/// </summary>
internal sealed class RequestOverheadScenario(int requests, int concurrency, int rounds, IReadOnlyCollection<string>? only = null)
{
    private const int WarmupRounds = 2;

    private enum Contender
    {
        NoSdk,

        /// <summary>OpenTelemetry's ASP.NET Core instrumentation with no processor or exporter: the server spans' own cost, which both SDKs pay.</summary>
        InstrumentationOnly,
        Panopticon,

        /// <summary>Panopticon with OpenTelemetry's batch size (512, against the default 100): what the number of export requests costs.</summary>
        PanopticonBatch512,

        /// <summary>Panopticon with OpenTelemetry's export settings: batches of 512, no compression.</summary>
        PanopticonBatch512NoGzip,
        OpenTelemetry,

        /// <summary>Sentry.AspNetCore: its tracing middleware (every request a transaction) and structured logs, envelopes to the sink.</summary>
        Sentry,

        /// <summary>
        /// Panopticon's defaults with every batch serialized and then discarded (no gzip, no HTTP request): the difference
        /// to <see cref="Panopticon"/> is what sending costs. Runs only when <c>--only</c> names it.
        /// </summary>
        PanopticonDiscarding,
    }

    /// <summary>Contenders that take apart another's cost: not part of the default run, only run when <c>--only</c> names them.</summary>
    private static readonly Contender[] OnlyWhenNamed = [Contender.PanopticonDiscarding];

    /// <summary>Bytes the endpoint's log call allocated on the request thread, summed over a round.</summary>
    private static long s_logCallBytes;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        Console.WriteLine($"== Request overhead: {requests:N0} requests, concurrency {concurrency}, median of {rounds} rounds ==");
        await using var sink = await SinkProcess.StartAsync();
        // --only keeps the named contenders (no SDK, the baseline, always runs).
        var contenders = Enum.GetValues<Contender>()
            .Where(c => c == Contender.NoSdk
                || (only is null ? !OnlyWhenNamed.Contains(c) : only.Contains(c.ToString(), StringComparer.OrdinalIgnoreCase)))
            .ToArray();
        var runs = contenders.ToDictionary(c => c, _ => new List<Round>());
        // Unmeasured rotations first: the process's shared code (Kestrel, sockets, the thread pool) reaches its
        // tier-1 code over the first rounds, which otherwise ran 30-50 % slower and made whoever went first look worse.
        // Each rotation starts one contender later: building an app makes the runtime postpone promoting hot code, and
        // the promotions then land in whichever round comes next; a fixed order charged them to the same contender.
        for (var round = -WarmupRounds; round < rounds; round++)
        {
            var first = (round + WarmupRounds) % contenders.Length;
            foreach (var contender in contenders[first..].Concat(contenders[..first]))
            {
                var run = await RunOnceAsync(contender, sink);
                if (round >= 0)
                {
                    runs[contender].Add(run);
                }
            }
        }

        var results = new List<ScenarioResult>();
        double? baseline = null;
        var noSdk = runs[Contender.NoSdk];
        foreach (var (contender, list) in runs)
        {
            var median = list.OrderBy(r => r.PerSecond).ElementAt(list.Count / 2);
            var result = new ScenarioResult("Request overhead", contender.ToString(), median.PerSecond, "requests/s", median.BytesPerRequest, "bytes allocated/request", baseline);
            baseline ??= median.PerSecond;
            results.Add(result);
            var cpu = Median(list.Select(r => r.CpuMicroseconds));

            // Each rotation runs every contender back to back, so the difference within a rotation cancels most of
            // what the host's other tenants do to the CPU figures over a run.
            var extraCpu = Median(list.Zip(noSdk, (r, b) => r.CpuMicroseconds - b.CpuMicroseconds));
            Console.WriteLine($"  {contender,-24} {median.PerSecond,10:N0} requests/s  {median.BytesPerRequest,8:N0} B/request  {cpu,6:N1} µs CPU/request (median), {extraCpu,5:+0.0;-0.0} over no SDK (paired)  sink {Median(list.Select(r => r.SinkCpuMicroseconds)),4:N1} µs  log call {Median(list.Select(r => r.LogCallBytes)),4:N0} B  JIT {Median(list.Select(r => r.JitMilliseconds)),5:N0} ms/{Median(list.Select(r => (double)r.JitMethods)),5:N0} methods"
                + (result.Ratio is { } ratio ? $"  ratio {ratio:N3}x  (rounds: {string.Join(", ", list.Select(r => r.PerSecond.ToString("N0")))})" : $"  (baseline; rounds: {string.Join(", ", list.Select(r => r.PerSecond.ToString("N0")))})"));
        }

        return results;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private async Task<Round> RunOnceAsync(Contender contender, SinkProcess sink)
    {
        await using var app = BuildApp(contender, sink.BaseUrl);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        // The load client creates no activity and sends no traceparent (plain sockets, not HttpClient, whose requests
        // the SDKs' HttpClient instrumentation would trace too): only the server side is measured.
        var load = new RawHttpLoad(new IPEndPoint(IPAddress.Loopback, address.Port), concurrency);
        await load.DriveAsync("/orders/", Math.Max(requests / 10, 500)); // warm-up: JIT, connections, pools
        GC.Collect();
        var acceptedBefore = app.Services.GetService<IPanopticonClient>()?.Statistics.Accepted;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var jitBefore = JitInfo.GetCompilationTime();
        var methodsBefore = JitInfo.GetCompiledMethodCount();
        var sinkCpuBefore = sink.CpuTime;
        Interlocked.Exchange(ref s_logCallBytes, 0);
        var watch = Stopwatch.StartNew();
        await load.DriveAsync("/orders/", requests);
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // CPU time of the whole process (app, load loop, SDK) per request: less sensitive to other load than
        // requests per second, since time the process spends waiting for a CPU is not counted. The sink's is apart.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        // The JIT's share of that CPU: in a young process, code still moving to its optimised tier costs more than the work.
        var jit = JitInfo.GetCompilationTime() - jitBefore;
        var methods = JitInfo.GetCompiledMethodCount() - methodsBefore;
        var sinkCpu = sink.CpuTime - sinkCpuBefore;
        if (acceptedBefore is { } before && app.Services.GetRequiredService<IPanopticonClient>().Statistics.Accepted - before < 2L * requests)
        {
            throw new InvalidOperationException("Panopticon did not take a span and a log line for every request: the run would measure less than it claims.");
        }
        await app.StopAsync();
        return new Round(requests / watch.Elapsed.TotalSeconds, (double)allocated / requests, cpu.TotalMicroseconds / requests, (double)Interlocked.Read(ref s_logCallBytes) / requests, sinkCpu.TotalMicroseconds / requests, jit.TotalMilliseconds, methods);
    }

    private static WebApplication BuildApp(Contender contender, string sinkUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // The ASP.NET Core project template's logging defaults (appsettings.json): the app's own lines at Information,
        // the framework's per-request lines only from Warning. The same for every contender.
        builder.Logging.SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        switch (contender)
        {
            case Contender.Panopticon or Contender.PanopticonBatch512 or Contender.PanopticonBatch512NoGzip or Contender.PanopticonDiscarding:
                builder.Services.AddPanopticonMonitoring(options =>
                {
                    options.BatchSize = contender is Contender.PanopticonBatch512 or Contender.PanopticonBatch512NoGzip ? 512 : options.BatchSize;
                    options.Compression = contender == Contender.PanopticonBatch512NoGzip ? PanopticonCompression.None : options.Compression;
                    options.ApiKey = "benchmark";
                    options.Endpoint = sinkUrl;
                    options.ServiceName = "benchmark";
                });
                if (contender == Contender.PanopticonDiscarding)
                {
                    builder.Services.AddSingleton(new TransportOverride(new DiscardTransport()));
                }

                break;
            case Contender.Sentry:
                builder.WebHost.UseSentry(options => SentryContender.ConfigureLogging(options, sinkUrl));
                break;
            case Contender.InstrumentationOnly:
                builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
                break;
            case Contender.OpenTelemetry:
                builder.Services.AddOpenTelemetry()
                    .ConfigureResource(resource => resource.AddService("benchmark"))
                    .WithTracing(tracing => tracing
                        .AddAspNetCoreInstrumentation()
                        .AddHttpClientInstrumentation()
                        .AddOtlpExporter(o => Otlp(o, sinkUrl + "/v1/traces")))
                    .WithLogging(logging => logging.AddOtlpExporter(o => Otlp(o, sinkUrl + "/v1/logs")));
                break;
        }

        var app = builder.Build();
        // A category outside "Panopticon.Sdk.*": the SDK never sends its own namespace's lines (this assembly's
        // namespace is under it, and an ILogger<T> of a type here was silently skipped by Panopticon until this check).
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.OrderEndpoint");
        app.MapGet("/orders/{id:int}", (int id, HttpResponse response) =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            logger.LogInformation("Order {OrderId} requested", id);
            Interlocked.Add(ref s_logCallBytes, GC.GetAllocatedBytesForCurrentThread() - before);
            var body = "order " + id;
            response.ContentLength = body.Length; // ASCII: one byte per character; the load loop reads by length
            return body;
        });
        return app;
    }

    private static void Otlp(OtlpExporterOptions options, string endpoint)
    {
        options.Endpoint = new Uri(endpoint);
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
    }

    /// <summary>
    /// One measured round, per request: requests/s, bytes allocated, process CPU, bytes the log call allocated, the sink's
    /// CPU; then for the whole round, the JIT's time and the methods it compiled (new ones and tier promotions).
    /// </summary>
    private readonly record struct Round(double PerSecond, double BytesPerRequest, double CpuMicroseconds, double LogCallBytes, double SinkCpuMicroseconds, double JitMilliseconds, long JitMethods);
}
