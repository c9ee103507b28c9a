using Panopticon.Sdk;

namespace Panopticon.Samples.Worker;

/// <summary>
/// Processes a few orders, each in its own span: the inventory call inside it becomes its child span and the log
/// line carries its trace and span ids. Then it waits to be stopped.
/// </summary>
internal sealed class OrderWorker(IHttpClientFactory http, IConfiguration configuration, ILogger<OrderWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var orders = configuration.GetValue("Worker:Orders", 3);
        for (var order = 1; order <= orders; order++)
        {
            using var span = PanopticonTrace.StartSpan("process-order", tags: [new("order_id", order)]);
            using var response = await http.CreateClient("inventory").GetAsync($"/inventory/WIDGET-{order}", stoppingToken);
            logger.LogInformation("Order {OrderId} processed: inventory answered {StatusCode}", order, (int)response.StatusCode);
        }

        logger.LogInformation("All {Count} orders processed; waiting for new ones", orders);
        await Task.Delay(Timeout.Infinite, stoppingToken);
    }
}
