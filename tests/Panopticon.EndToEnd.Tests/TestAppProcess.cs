using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Panopticon.Quickstart;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// The test worker app (<c>tests/Panopticon.Sdk.TestApp</c>) as its own process, configured by environment variables:
/// every line it writes is kept, and it can be stopped with SIGTERM as a container runtime does.
/// </summary>
internal sealed partial class TestAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestAppProcess(Process process) => _process = process;

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public IReadOnlyList<string> Stderr => [.. _stderr];

    /// <summary>All output so far, for assertion messages.</summary>
    public string Output => string.Join(Environment.NewLine, Stdout.Concat(Stderr));

    /// <summary>The SDK's own WARN lines (category <c>Panopticon.Sdk.Export</c>) as the console printed them.</summary>
    public IReadOnlyList<string> SdkWarnings => Stdout.Where(l => l.StartsWith("warn: Panopticon.Sdk.Export", StringComparison.Ordinal)).ToList();

    /// <summary>The SDK's own INFO lines.</summary>
    public IReadOnlyList<string> SdkInfos => Stdout.Where(l => l.StartsWith("info: Panopticon.Sdk.Export", StringComparison.Ordinal)).ToList();

    /// <summary>Starts the app and returns once its host runs.</summary>
    public static async Task<TestAppProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppDll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new TestAppProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                app._stdout.Enqueue(line);
                if (line == "Test app started")
                {
                    app._started.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                app._stderr.Enqueue(line);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = await Task.WhenAny(app._started.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != app._started.Task)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException("The test app did not start:" + Environment.NewLine + app.Output);
        }

        return app;
    }

    /// <summary>Sends SIGTERM and returns the exit code and the time from the signal to the exit.</summary>
    public async Task<(int ExitCode, TimeSpan Elapsed)> TerminateAsync()
    {
        var clock = Stopwatch.StartNew();
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException("kill(SIGTERM) failed: errno " + Marshal.GetLastPInvokeError());
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var elapsed = clock.Elapsed;
        _process.WaitForExit(); // drains the redirected output
        return (_process.ExitCode, elapsed);
    }

    /// <summary>Kills the app with SIGKILL, as the OOM killer or a container runtime's hard stop does: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }

    private static string AppDll =>
        typeof(TestAppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Panopticon.EndToEnd.TestApp").Value!;

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
