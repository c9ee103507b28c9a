using Panopticon.Sdk;

namespace Panopticon.Samples.WebApi.Orders;

/// <summary>
/// The application's own step, traced with one call: <c>PanopticonTrace.RunAsync</c> gives it a span in the request's
/// trace (INTERNAL, with its tags as labels; ERROR with the exception if it throws).
/// </summary>
internal static class FraudCheck
{
    private const int ReviewAbove = 10_000;

    public static Task<bool> IsSuspiciousAsync(PlaceOrderRequest order, CancellationToken cancellationToken) =>
        PanopticonTrace.RunAsync("check-fraud", async span =>
        {
            span?.SetTag("sku", order.Sku);
            span?.SetTag("quantity", order.Quantity);
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken); // stands in for a rules engine
            var suspicious = order.Quantity > ReviewAbove;
            span?.SetTag("suspicious", suspicious);
            return suspicious;
        });
}
