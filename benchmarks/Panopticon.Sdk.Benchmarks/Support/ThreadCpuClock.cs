using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), for BenchmarkDotNet's in-process engine,
/// which measures on the benchmark's own thread. On a machine other processes load, wall-clock time includes the time
/// the thread waited for a core; CPU time does not, so ratios within a run stay comparable (cache and memory
/// contention still show). Not available elsewhere: BenchmarkDotNet then refuses the job.
/// </summary>
internal sealed class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static readonly ThreadCpuClock Instance = new();

    public string Title => "Thread CPU time";

    public bool IsAvailable => OperatingSystem.IsLinux();

    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp()
    {
        ClockGetTime(ClockThreadCpuTimeId, out var time);
        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
