namespace Panopticon.Samples.WebApi.Orders;

/// <summary>An order as stored in the database.</summary>
public sealed class Order
{
    public int Id { get; set; }

    public required string Sku { get; set; }

    public int Quantity { get; set; }

    public required string Customer { get; set; }

    public DateTimeOffset PlacedAt { get; set; }
}

/// <summary>The body of <c>POST /orders</c>.</summary>
public sealed record PlaceOrderRequest(string Sku, int Quantity, string Customer);

/// <summary>What the orders endpoints return; <c>TraceId</c> lets a caller find the request in Panopticon.</summary>
public sealed record OrderResponse(int Id, string Sku, int Quantity, string Customer, DateTimeOffset PlacedAt, string? TraceId)
{
    public static OrderResponse From(Order order, string? traceId) =>
        new(order.Id, order.Sku, order.Quantity, order.Customer, order.PlacedAt, traceId);
}
