namespace Panopticon.Samples.WebApi.Inventory;

/// <summary>
/// Stands in for a separate inventory service, so the demo needs no third process. It is called over real HTTP
/// (see <see cref="InventoryClient"/>), so its server span joins the caller's trace through <c>traceparent</c>.
/// </summary>
public static class InventoryEndpoints
{
    private static readonly string[] Warehouses = ["north", "south", "east"];

    public static void MapInventory(this IEndpointRouteBuilder app) =>
        app.MapGet("/inventory/{sku}", async (string sku, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            // Simulated lookup latency, so the waterfall has something to show.
            await Task.Delay(TimeSpan.FromMilliseconds(15 + Random.Shared.Next(20)), cancellationToken);

            var hash = sku.Aggregate(17, (h, c) => unchecked((h * 31) + c)) & 0x7fffffff; // stable across runs
            var stock = new StockLevel(sku, Available: 10 + hash % 90, Warehouse: Warehouses[hash % Warehouses.Length]);
            loggers.CreateLogger("Inventory").LogInformation("Stock of {Sku}: {Available} in warehouse {Warehouse}", stock.Sku, stock.Available, stock.Warehouse);
            return TypedResults.Ok(stock);
        });
}
