using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Panopticon.Sdk.Integration.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on a free loopback port, without persistence, stopped on dispose.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=5000";

    public static string BinaryPath =>
        Environment.GetEnvironmentVariable("PANOPTICON_REDIS_SERVER") is { Length: > 0 } configured ? configured : "/usr/bin/redis-server";

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var server = new RedisServer(process, port);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Add(e.Data, ready);
        process.ErrorDataReceived += (_, e) => server.Add(e.Data, ready);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20))) != ready.Task)
        {
            var output = server.Output;
            server.Dispose();
            throw new InvalidOperationException($"redis-server did not accept connections on port {port}:{Environment.NewLine}{output}");
        }

        return server;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Add(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }
}

/// <summary>A fact that needs <c>redis-server</c>; without it the test is reported as skipped, with the reason.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (!File.Exists(RedisServer.BinaryPath))
        {
            Skip = $"redis-server not found at {RedisServer.BinaryPath} (apt-get install -y redis-server, or set PANOPTICON_REDIS_SERVER); the Redis spans were not checked.";
        }
    }
}
