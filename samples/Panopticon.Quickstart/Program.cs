using System.Runtime.InteropServices;
using System.Text;
using Panopticon.Quickstart;

// One command to see the SDK work: starts the reference Producer and the demo orders API (separate processes,
// free loopback ports, a temporary SQLite file each, a fresh API key), sends a few requests, flushes, and prints
// what arrived at the Producer. Exit code 0 only when a complete trace arrived.
//
//   dotnet run --project samples/Panopticon.Quickstart               run once and stop
//   dotnet run --project samples/Panopticon.Quickstart -- --serve    keep both apps running to browse the viewer

var serve = args.Contains("--serve");
var verbose = args.Contains("--verbose");
if (args.Any(a => a is "-h" or "--help" or "-?"))
{
    Console.WriteLine("Usage: dotnet run --project samples/Panopticon.Quickstart [-- --serve] [--verbose]");
    Console.WriteLine("  --serve    keep the Producer and the demo app running until Ctrl+C, to browse the viewer");
    Console.WriteLine("  --verbose  show the output of both apps");
    return 0;
}

Console.OutputEncoding = Encoding.UTF8;
using var stop = new CancellationTokenSource();
void RequestStop(PosixSignalContext context)
{
    context.Cancel = true; // shut down through the normal path, which stops the children
    stop.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
AppDomain.CurrentDomain.ProcessExit += (_, _) => ActiveChildren.KillAll(); // last resort

try
{
    return await new QuickstartRun(serve, verbose).RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Out.Line();
    Out.Line("Stopped.");
    return 130;
}
catch (QuickstartException exception)
{
    Out.Line();
    Out.Fail(exception.Message);
    if (exception.Details is { } details)
    {
        Out.Line(Out.Dim("    " + details.ReplaceLineEndings(Environment.NewLine + "    ")));
    }

    return 2;
}
catch (Exception exception) when (exception is HttpRequestException or TimeoutException or TaskCanceledException)
{
    Out.Line();
    Out.Fail($"{exception.GetType().Name}: {exception.Message}");
    return 2;
}
