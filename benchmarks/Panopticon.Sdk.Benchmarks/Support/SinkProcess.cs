using System.Diagnostics;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// A <see cref="LoopbackSink"/> in a child process (this program's <c>sink</c> command): the stand-in for a Producer,
/// which is never inside the application's process. Its CPU time is read separately, so the app's own figures do not
/// include the server side of the export requests, and the app's activity listeners never see the sink's requests.
/// The child ends when its standard input closes, so it cannot outlive this process.
/// </summary>
internal sealed class SinkProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SinkProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>CPU time the sink process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<SinkProcess> StartAsync()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SinkProcess).Assembly.Location); // run as "dotnet <this dll>"
        }

        start.ArgumentList.Add("sink");

        // The JIT's diagnostics (DOTNET_JitStdOutFile, DOTNET_JitDisasmSummary) are meant for the measured process:
        // inherited, the sink's lines mixed into the same file or into the address it prints.
        foreach (var variable in new[] { "DOTNET_JitStdOutFile", "DOTNET_JitDisasmSummary", "DOTNET_PerfMapEnabled" })
        {
            start.Environment.Remove(variable);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The sink process did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var baseUrl = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (string.IsNullOrEmpty(baseUrl))
        {
            process.Kill();
            throw new InvalidOperationException("The sink process ended before printing its address.");
        }

        return new SinkProcess(process, baseUrl);
    }

    /// <summary>The child's side: starts a sink, prints its base URL, serves until standard input closes.</summary>
    public static async Task ServeAsync()
    {
        await using var sink = await LoopbackSink.StartAsync();
        Console.WriteLine(sink.BaseUrl);
        await Console.In.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
