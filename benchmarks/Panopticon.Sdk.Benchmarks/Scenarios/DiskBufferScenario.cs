using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>
/// Benchmark 7: what the disk buffer (<c>BufferDirectory</c>) costs. The same log lines through the same client with a
/// discarding transport, without and with a buffer directory, in interleaved rounds of one run: CPU of the calling
/// thread per log call (must not change: the files are written by the export side), CPU of the rest of the process
/// per record (the export side: batching, serializing, and with the buffer writing, fsync, reading back, deleting),
/// and bytes written per record (<c>wchar</c> of <c>/proc/self/io</c>).
/// </summary>
internal sealed class DiskBufferScenario(int records, int rounds)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        Console.WriteLine($"== Disk buffer: {records:N0} log lines per round, {rounds} rounds, discarding transport ==");
        var directory = Directory.CreateTempSubdirectory("panopticon-buffer-bench-").FullName;
        try
        {
            var samples = new Dictionary<bool, List<Sample>> { [false] = [], [true] = [] };
            for (var round = -1; round < rounds; round++) // round -1 warms both up, unreported
            {
                foreach (var buffered in new[] { false, true })
                {
                    var sample = await MeasureAsync(buffered ? directory : null);
                    if (round >= 0)
                    {
                        samples[buffered].Add(sample);
                    }
                }
            }

            Console.WriteLine("   contender        log call (calling thread)   export CPU / record   bytes written / record");
            var memory = Median(samples[false]);
            var disk = Median(samples[true]);
            foreach (var (name, s) in new[] { ("no buffer", memory), ("BufferDirectory", disk) })
            {
                Console.WriteLine($"   {name,-16} {s.CallerNs,14:N0} ns CPU {s.ExportNs,18:N0} ns {s.BytesWritten,20:N1} B");
            }

            Console.WriteLine($"   ratio (buffer / none): log call {disk.CallerNs / memory.CallerNs:N2}x, export CPU {disk.ExportNs / memory.ExportNs:N2}x (+{disk.ExportNs - memory.ExportNs:N0} ns per record)");
            return
            [
                new ScenarioResult("Disk buffer", "log call, calling thread", disk.CallerNs, "ns CPU", memory.CallerNs, "ns CPU without", memory.CallerNs),
                new ScenarioResult("Disk buffer", "export side per record", disk.ExportNs, "ns CPU", disk.BytesWritten, "B written", memory.ExportNs),
            ];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<Sample> MeasureAsync(string? bufferDirectory)
    {
        var services = DiscardingApp.Services(options =>
        {
            options.BufferDirectory = bufferDirectory;
            options.MaxQueueSize = records; // nothing dropped for space: both contenders do the same work
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IPanopticonClient>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.OrderService");
        using var activity = new Activity("disk-buffer").SetIdFormat(ActivityIdFormat.W3C).Start();
        logger.LogInformation("Order {OrderId} shipped to {City}", -1, "Berlin");
        await client.FlushAsync();

        var sentBefore = client.Statistics.Sent;
        var written = BytesWritten();
        var process = Process.GetCurrentProcess().TotalProcessorTime;
        var caller = ThreadCpu();
        for (var i = 0; i < records; i++)
        {
            logger.LogInformation("Order {OrderId} shipped to {City}", i, "Berlin");
        }

        var callerCpu = ThreadCpu() - caller;
        var result = await client.FlushAsync();
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime - process;
        var bytes = BytesWritten() - written;
        if (!result.Succeeded || client.Statistics.Sent - sentBefore != records)
        {
            throw new InvalidOperationException($"not all sent: {result}; {client.Statistics}");
        }

        return new Sample(
            callerCpu.TotalNanoseconds / records,
            (processCpu - callerCpu).TotalNanoseconds / records,
            (double)bytes / records);
    }

    private static Sample Median(List<Sample> samples) => new(
        samples.Select(s => s.CallerNs).Order().ElementAt(samples.Count / 2),
        samples.Select(s => s.ExportNs).Order().ElementAt(samples.Count / 2),
        samples.Select(s => s.BytesWritten).Order().ElementAt(samples.Count / 2));

    /// <summary>Bytes this process has passed to write calls so far (Linux; 0 elsewhere).</summary>
    private static long BytesWritten()
    {
        const string Io = "/proc/self/io";
        if (!File.Exists(Io))
        {
            return 0;
        }

        var line = File.ReadLines(Io).First(l => l.StartsWith("wchar:", StringComparison.Ordinal));
        return long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>CPU time of the calling thread (user + system).</summary>
    private static TimeSpan ThreadCpu()
    {
        if (!OperatingSystem.IsLinux() || GetResourceUsage(RusageThread, out var usage) != 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromMicroseconds((usage.UserSeconds + usage.SystemSeconds) * 1_000_000.0 + usage.UserMicroseconds + usage.SystemMicroseconds);
    }

    private const int RusageThread = 1;

    [DllImport("libc", EntryPoint = "getrusage")]
#pragma warning disable SYSLIB1054 // a blittable struct: DllImport needs no unsafe code here
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);
#pragma warning restore SYSLIB1054

    private sealed record Sample(double CallerNs, double ExportNs, double BytesWritten);

    // struct rusage on 64-bit Linux: two timevals, then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
#pragma warning disable CS0169, IDE0051 // filled by the kernel, never read
        private long _maxrss, _ixrss, _idrss, _isrss, _minflt, _majflt, _nswap, _inblock, _oublock, _msgsnd, _msgrcv, _nsignals, _nvcsw, _nivcsw;
#pragma warning restore CS0169, IDE0051
    }
}
