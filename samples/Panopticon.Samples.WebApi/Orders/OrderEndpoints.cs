using Microsoft.EntityFrameworkCore;
using Panopticon.Samples.WebApi.Inventory;
using Panopticon.Sdk;

namespace Panopticon.Samples.WebApi.Orders;

/// <summary>The orders API. Plain ASP.NET Core: spans and logs reach Panopticon without any code here.</summary>
public static class OrderEndpoints
{
    public static void MapOrders(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders", PlaceOrderAsync);
        app.MapGet("/orders", ListOrdersAsync);
        app.MapGet("/orders/{id:int}", GetOrderAsync);
        app.MapGet("/orders/fail", FailAsync);
    }

    /// <summary>Checks stock with the inventory service (an HTTP call), stores the order (a database command), logs both.</summary>
    private static async Task<IResult> PlaceOrderAsync(
        PlaceOrderRequest request, InventoryClient inventory, OrdersDbContext db, ILogger<Order> logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Sku) || request.Quantity <= 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["order"] = ["a sku and a positive quantity are required"] });
        }

        // Structured values ({Sku}, {Quantity}, ...) arrive as labels on the log record, next to its trace id.
        logger.LogInformation("Placing order of {Quantity} x {Sku} for {Customer}", request.Quantity, request.Sku, request.Customer);

        if (await FraudCheck.IsSuspiciousAsync(request, cancellationToken))
        {
            return TypedResults.Problem("The order is held for review.", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var stock = await inventory.GetStockAsync(request.Sku, cancellationToken);
        if (stock.Available < request.Quantity)
        {
            logger.LogWarning("Not enough {Sku} in stock: {Available} available, {Quantity} wanted", request.Sku, stock.Available, request.Quantity);
            return TypedResults.Conflict(new { error = $"only {stock.Available} of {request.Sku} in stock" });
        }

        var order = new Order { Sku = request.Sku, Quantity = request.Quantity, Customer = request.Customer, PlacedAt = DateTimeOffset.UtcNow };
        db.Orders.Add(order);
        await db.SaveChangesAsync(cancellationToken);

        logger.LogInformation("Order {OrderId} placed from warehouse {Warehouse}", order.Id, stock.Warehouse);
        return TypedResults.Created($"/orders/{order.Id}", OrderResponse.From(order, PanopticonTrace.CurrentTraceId));
    }

    private static async Task<IResult> ListOrdersAsync(OrdersDbContext db, CancellationToken cancellationToken)
    {
        var recent = await db.Orders.OrderByDescending(o => o.Id).Take(20).ToListAsync(cancellationToken);
        return TypedResults.Ok(recent.Select(o => OrderResponse.From(o, PanopticonTrace.CurrentTraceId)));
    }

    private static async Task<IResult> GetOrderAsync(int id, OrdersDbContext db, ILogger<Order> logger, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([id], cancellationToken);
        if (order is null)
        {
            logger.LogWarning("Order {OrderId} not found", id);
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(OrderResponse.From(order, PanopticonTrace.CurrentTraceId));
    }

    /// <summary>Fails on purpose: the server span is marked ERROR and the exception is logged with the same trace id.</summary>
    private static async Task<IResult> FailAsync(OrdersDbContext db, ILogger<Order> logger, CancellationToken cancellationToken)
    {
        var pending = await db.Orders.CountAsync(cancellationToken);
        logger.LogWarning("Charging {PendingOrders} pending orders through the payment provider", pending);
        throw new InvalidOperationException("The payment provider is unavailable (this endpoint fails on purpose).");
    }
}
