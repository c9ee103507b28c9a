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
builder.Services.AddPanopticon(builder.Configuration).AddLogTracking();
builder.Services.AddHostedService<Ticker>();

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
