namespace Panopticon.Sdk.AI;

/// <summary>
/// Settings of LLM call tracking. Bound from the <c>Panopticon</c> configuration section when the application has
/// an <c>IConfiguration</c> (<c>Panopticon:EnableGenAiTracking</c>, <c>Panopticon:CaptureMessageContent</c>,
/// <c>Panopticon:GenAi:Prices:{model}:…</c>); code given to <c>AddGenAiTracking</c> runs after and wins.
/// Invalid values make the application fail at startup with a message naming the option.
/// </summary>
public sealed class GenAiTrackingOptions
{
    /// <summary>Sends a span for every model call. Default <see langword="true"/>.</summary>
    public bool EnableGenAiTracking { get; set; } = true;

    /// <summary>
    /// Sends prompt and completion text (labels <c>llm_input_messages</c>, <c>llm_output_messages</c>,
    /// <c>llm_system_instructions</c>), each truncated at <c>MaxValueLength</c>. Default <see langword="false"/>:
    /// message text is removed from every GenAI span, also from chat clients wired by the application itself.
    /// </summary>
    public bool CaptureMessageContent { get; set; }

    /// <summary>
    /// Prices by model name, in US dollars per million tokens. A model's price is the entry with its exact name
    /// (ignoring case), else the entry with the longest name the model starts with (<c>gpt-4o</c> prices
    /// <c>gpt-4o-2024-08-06</c>); a span whose model has no price carries no <c>llm_cost_usd</c>.
    /// </summary>
    public IDictionary<string, GenAiModelPrice> Prices { get; } = new Dictionary<string, GenAiModelPrice>(StringComparer.OrdinalIgnoreCase);
}
