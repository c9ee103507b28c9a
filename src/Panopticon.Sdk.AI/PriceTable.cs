namespace Panopticon.Sdk.AI;

/// <summary>The user's prices, looked up by model: exact name first, then the longest name the model starts with.</summary>
internal sealed class PriceTable
{
    private readonly Dictionary<string, GenAiModelPrice> _exact;
    private readonly KeyValuePair<string, GenAiModelPrice>[] _byLongestName;

    public PriceTable(IDictionary<string, GenAiModelPrice> prices)
    {
        _exact = new Dictionary<string, GenAiModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
        _byLongestName = [.. prices.OrderByDescending(p => p.Key.Length)];
    }

    public GenAiModelPrice? Find(string model)
    {
        if (_exact.TryGetValue(model, out var price))
        {
            return price;
        }

        foreach (var (name, candidate) in _byLongestName)
        {
            if (model.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Cost in US dollars: cached input tokens (part of the input tokens) at the cached rate, the other input tokens
    /// at the input rate, output tokens at the output rate; <see langword="null"/> without a price or an input count.
    /// </summary>
    public double? CostOf(string? model, long? inputTokens, long? outputTokens, long? cachedInputTokens)
    {
        if (model is null || inputTokens is not { } input || Find(model) is not { InputPerMillionTokens: { } inputRate, OutputPerMillionTokens: { } outputRate } price)
        {
            return null;
        }

        var cached = Math.Clamp(cachedInputTokens ?? 0, 0, input);
        var cachedRate = price.CachedInputPerMillionTokens ?? inputRate;
        var cost = ((input - cached) * inputRate + cached * cachedRate + (outputTokens ?? 0) * outputRate) / 1_000_000m;
        return (double)cost;
    }
}
