namespace Panopticon.Samples.WebApi.Inventory;

/// <summary>A typed <see cref="HttpClient"/> for the inventory service; each call becomes a CLIENT span and carries <c>traceparent</c>.</summary>
public sealed class InventoryClient(HttpClient http)
{
    public async Task<StockLevel> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        var stock = await http.GetFromJsonAsync<StockLevel>($"inventory/{Uri.EscapeDataString(sku)}", cancellationToken);
        return stock ?? throw new InvalidOperationException($"the inventory service returned no stock level for {sku}");
    }
}

/// <summary>The inventory service's answer.</summary>
public sealed record StockLevel(string Sku, int Available, string Warehouse);
