using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Panopticon.Sdk.Benchmarks.Micro;
using Panopticon.Sdk.Benchmarks.Scenarios;
using Panopticon.Sdk.Benchmarks.Support;

namespace Panopticon.Sdk.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project benchmarks/Panopticon.Sdk.Benchmarks -- [command] [--quick] [BDN args]</c>
/// <list type="bullet">
/// <item><c>all</c> (default): benchmarks 1–3a (BenchmarkDotNet), then 3b, 4 and 5 (custom scenarios).</item>
/// <item><c>micro</c>: only the BenchmarkDotNet benchmarks; other arguments go to BenchmarkDotNet (<c>--filter *Span*</c>).</item>
/// <item><c>throughput</c>, <c>requests [--only Panopticon,OpenTelemetry]</c>, <c>sampling</c>, <c>young</c>, <c>outage [--seconds 60]</c>, <c>buffer</c>: one scenario.</item>
/// </list>
/// <c>--quick</c> runs short jobs and smaller scenarios (under 5 minutes on 2 cores).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var arguments = new Arguments(args);
        var command = arguments.Command;
        var quick = arguments.Quick;

        if (command is "all" or "micro")
        {
            RunMicro(arguments.Rest, quick, arguments.Steady, arguments.CpuTime);
        }

        if (command is "all" or "throughput")
        {
            await new ThroughputScenario(records: 100_000, rounds: quick ? 2 : 5).RunAsync();
        }

        if (command is "all" or "requests")
        {
            await new RequestOverheadScenario(requests: arguments.Requests ?? (quick ? 10_000 : 50_000), concurrency: 32, rounds: quick ? 3 : 5, arguments.Only).RunAsync();
        }

        if (command is "young")
        {
            if (arguments.Export is not (null or "discard" or "gzip" or "none"))
            {
                Console.Error.WriteLine($"Unknown export '{arguments.Export}'. Use discard, gzip or none.");
                return 1;
            }

            await new YoungExportScenario(requestsPerRound: arguments.Requests ?? 10_000, rounds: 8, arguments.Export ?? "discard").RunAsync();
        }

        if (command is "sampling")
        {
            await new SamplingOverheadScenario(requests: quick ? 10_000 : 50_000, concurrency: 32, rounds: quick ? 3 : 5).RunAsync();
        }

        if (command is "all" or "outage")
        {
            await new OutageScenario(arguments.Seconds ?? (quick ? 20 : 60)).RunAsync();
        }

        if (command is "all" or "buffer")
        {
            await new DiskBufferScenario(records: quick ? 100_000 : 300_000, rounds: quick ? 3 : 5).RunAsync();
        }

        if (command is "sink")
        {
            await SinkProcess.ServeAsync(); // the request scenario's out-of-process sink
            return 0;
        }

        if (command is not ("all" or "micro" or "throughput" or "requests" or "sampling" or "outage" or "young" or "buffer"))
        {
            Console.Error.WriteLine($"Unknown command '{command}'. Use all, micro, throughput, requests, sampling, young, outage or buffer (see benchmarks/README.md).");
            return 2;
        }

        return 0;
    }

    // steady: more warm-ups and iterations than quick, for ratios that hold between runs (see benchmarks/README.md);
    // cpuTime: the benchmark thread's CPU time instead of wall-clock time, for a machine other processes load.
    private static void RunMicro(string[] bdnArgs, bool quick, bool steady, bool cpuTime)
    {
        // In-process: no generated project to build (the repository builds with warnings as errors and central
        // package management), and the same process model for every contender.
        var job = (steady
                ? Job.ShortRun.WithWarmupCount(6).WithIterationCount(20).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
                : quick
                    ? Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200))
                    : Job.Default)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId((steady ? "Steady" : quick ? "Quick" : "Full") + (cpuTime ? "Cpu" : string.Empty));
        if (cpuTime)
        {
            job = job.WithClock(ThreadCpuClock.Instance);
        }

        var config = DefaultConfig.Instance.AddJob(job);
        Type[] benchmarks = [typeof(LogCallBenchmarks), typeof(SerilogCallBenchmarks), typeof(SpanBenchmarks), typeof(SampledTraceBenchmarks), typeof(SerializationBenchmarks), typeof(EnqueueBenchmarks)];
        if (bdnArgs.Length > 0)
        {
            BenchmarkSwitcher.FromTypes(benchmarks).Run(bdnArgs, config);
        }
        else
        {
            BenchmarkRunner.Run(benchmarks, config);
        }
    }

    /// <summary>The command, <c>--quick</c>, <c>--seconds N</c>; everything else is passed to BenchmarkDotNet.</summary>
    private sealed class Arguments
    {
        public Arguments(string[] args)
        {
            var rest = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        Quick = true;
                        break;
                    case "--steady":
                        Steady = true;
                        break;
                    case "--cpu-time":
                        CpuTime = true;
                        break;
                    case "--only" when i + 1 < args.Length:
                        Only = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        i++;
                        break;
                    case "--requests" when i + 1 < args.Length && int.TryParse(args[i + 1], out var requests):
                        Requests = requests;
                        i++;
                        break;
                    case "--export" when i + 1 < args.Length:
                        Export = args[i + 1];
                        i++;
                        break;
                    case "--seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var seconds):
                        Seconds = seconds;
                        i++;
                        break;
                    case var word when i == 0 && !word.StartsWith('-'):
                        Command = word;
                        break;
                    default:
                        rest.Add(args[i]);
                        break;
                }
            }

            Rest = [.. rest];
        }

        public string Command { get; } = "all";

        public bool Quick { get; }

        /// <summary>Micro benchmarks: 6 warm-ups and 20 iterations of 250 ms (see <c>RunMicro</c>).</summary>
        public bool Steady { get; }

        /// <summary>Micro benchmarks: time is the benchmark thread's CPU time (see <see cref="ThreadCpuClock"/>).</summary>
        public bool CpuTime { get; }

        public int? Seconds { get; }

        /// <summary><c>--requests N</c>: the request scenario's requests per round.</summary>
        public int? Requests { get; }

        /// <summary><c>--only A,B</c>: the request scenario's contenders to run besides no SDK.</summary>
        public string[]? Only { get; }

        /// <summary><c>--export discard|gzip|none</c>: where the young scenario's batches go (discarded, or HTTP to the sink with or without gzip).</summary>
        public string? Export { get; }

        public string[] Rest { get; }
    }
}
