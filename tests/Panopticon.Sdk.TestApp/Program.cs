using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// A worker as users write one: the SDK from configuration (PANOPTICON_* / Panopticon__* environment variables), its
// logs sent to Panopticon, one console line per log entry. Prints "Test app started" once the host runs.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter<ConsoleLoggerProvider>(nameof(Ticker), LogLevel.None); // sent to Panopticon, not printed
builder.Logging.AddFilter<ConsoleLoggerProvider>(nameof(Burst), LogLevel.None);
builder.Services.AddPanopticon(builder.Configuration).AddLogTracking();
builder.Services.AddHostedService<Ticker>();
if (builder.Configuration.GetValue<int>("TestApp:Burst:Count") > 0)
{
    builder.Services.AddHostedService<Burst>();
}

using var host = builder.Build();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => Console.WriteLine("Test app started"));
await host.RunAsync(); // stops and disposes the host
Console.WriteLine($"Test app exiting at {DateTime.UtcNow:HH:mm:ss.fff}");

/// <summary>Writes a log line every 100 ms, so there is always telemetry on its way.</summary>
internal sealed class Ticker(ILogger<Ticker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var tick = 0; !stoppingToken.IsCancellationRequested; tick++)
        {
            logger.LogInformation("Tick {Tick}", tick);
            try
            {
                await Task.Delay(100, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>
/// With <c>TestApp:Burst:Count</c>: writes that many log lines "Burst {Prefix} {Seq}" as fast as it can, pausing
/// <c>PauseMilliseconds</c> after every <c>PauseEvery</c> lines (so a test can kill it mid-burst) and printing
/// "Burst wrote {n}" then; with <c>ReportHeap</c>, every 5 000 lines also the live managed heap after a full
/// collection. Prints "Burst done" at the end.
/// </summary>
internal sealed class Burst(ILogger<Burst> logger, IConfiguration configuration) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var section = configuration.GetSection("TestApp:Burst");
        var count = section.GetValue<int>("Count");
        var prefix = section.GetValue<string>("Prefix") ?? "A";
        var pauseEvery = section.GetValue("PauseEvery", count);
        var pause = TimeSpan.FromMilliseconds(section.GetValue("PauseMilliseconds", 0));
        var reportHeap = section.GetValue<bool>("ReportHeap");
        await Task.Yield();
        for (var seq = 0; seq < count && !stoppingToken.IsCancellationRequested; seq++)
        {
            logger.LogInformation("Burst {Prefix} {Seq}", prefix, seq);
            if ((seq + 1) % pauseEvery == 0)
            {
                var heap = reportHeap && (seq + 1) % 5000 == 0 ? $" heap {GC.GetTotalMemory(forceFullCollection: true)}" : "";
                Console.WriteLine($"Burst wrote {seq + 1}{heap}");
                await Task.Delay(pause, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        Console.WriteLine("Burst done");
    }
}
