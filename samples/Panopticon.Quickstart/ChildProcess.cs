using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Panopticon.Quickstart;

/// <summary>
/// One app run as <c>dotnet &lt;app&gt;.dll</c> on a free loopback port. Its output is kept (the last lines, to explain
/// a failure) rather than shown. Disposing stops it: gracefully first (SIGTERM, so it flushes and closes its database),
/// then killed with its whole process tree; this runs on every exit path of the quickstart.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 20;
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private string? _firstError;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _echo;
    private int _stopped;

    private ChildProcess(string name, Process process, bool echo)
    {
        Name = name;
        _process = process;
        _echo = echo;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public Task Exited => _process.WaitForExitAsync();

    /// <summary>Starts <paramref name="dll"/> with <c>--urls http://127.0.0.1:0</c> and returns once it is listening.</summary>
    public static async Task<(ChildProcess Process, Uri Url)> StartAsync(
        string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool echo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            // The app's own folder, so its appsettings.json is found whatever the current directory is.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value; // secrets go here rather than on the command line, where `ps` shows them
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, echo);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        if (!process.Start())
        {
            throw new QuickstartException($"Could not start {name} ({DotnetHost.Path} {Path.GetFileName(dll)}).");
        }

        ActiveChildren.Add(child);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var exited = process.WaitForExitAsync(deadline.Token);
            var first = await Task.WhenAny(child._listening.Task, exited).ConfigureAwait(false);
            if (first == child._listening.Task)
            {
                return (child, await child._listening.Task.ConfigureAwait(false));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var reason = process.HasExited
                ? $"{name} exited with code {process.ExitCode} before it was listening."
                : $"{name} did not report \"Now listening on:\" within {timeout.TotalSeconds:0} s.";
            throw new QuickstartException(reason, child.Tail());
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The first exception message and the last lines the app wrote (stdout and stderr), for error messages.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            var tail = _tail.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _tail);
            return _firstError is null ? tail : $"{_firstError}{Environment.NewLine}...{Environment.NewLine}{tail}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited && TryRequestGracefulStop())
            {
                using var wait = new CancellationTokenSource(GracefulStopTimeout);
                try
                {
                    await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Falls through to Kill.
                }
            }

            Kill();
        }
        finally
        {
            ActiveChildren.Remove(this);
            _process.Dispose();
        }
    }

    /// <summary>Last resort, synchronous: used when the quickstart itself is terminated.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private bool TryRequestGracefulStop()
    {
        if (OperatingSystem.IsWindows())
        {
            return false; // no SIGTERM; Kill follows
        }

        try
        {
            return SendSignal(_process.Id, SigTerm) == 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_echo)
        {
            Console.Error.WriteLine($"  [{Name}] {line}");
        }

        lock (_tail)
        {
            if (_firstError is null && line.Contains("Exception: ", StringComparison.Ordinal))
            {
                _firstError = line.Trim();
            }

            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }

        if (ListeningLine().Match(line) is { Success: true } match && Uri.TryCreate(match.Groups["url"].Value, UriKind.Absolute, out var url))
        {
            _listening.TrySetResult(url);
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    [GeneratedRegex(@"Now listening on: (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();
}

/// <summary>Children still running, so they can be killed if the quickstart is terminated abruptly.</summary>
internal static class ActiveChildren
{
    private static readonly List<ChildProcess> Children = [];

    public static void Add(ChildProcess child)
    {
        lock (Children)
        {
            Children.Add(child);
        }
    }

    public static void Remove(ChildProcess child)
    {
        lock (Children)
        {
            Children.Remove(child);
        }
    }

    public static void KillAll()
    {
        ChildProcess[] all;
        lock (Children)
        {
            all = [.. Children];
        }

        foreach (var child in all)
        {
            child.Kill();
        }
    }
}

/// <summary>The <c>dotnet</c> executable that runs this process, so the children use the same SDK/runtime.</summary>
internal static class DotnetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && System.IO.Path.GetFileName(current).Equals(executable, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(System.IO.Path.Combine(root, executable)))
        {
            return System.IO.Path.Combine(root, executable);
        }

        return executable; // on the PATH
    }
}
