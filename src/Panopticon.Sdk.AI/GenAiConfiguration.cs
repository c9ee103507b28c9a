using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Panopticon.Sdk.AI;

/// <summary>
/// Reads <see cref="GenAiTrackingOptions"/> from the application's configuration, beside the core's options:
/// the switches from <c>Panopticon</c>, the prices from <c>Panopticon:GenAi:Prices</c>. No configuration, no change.
/// </summary>
internal sealed class GenAiConfiguration(IConfiguration? configuration = null) : IConfigureOptions<GenAiTrackingOptions>
{
    public const string PricesSection = "Panopticon:GenAi:Prices";

    public void Configure(GenAiTrackingOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        var panopticon = configuration.GetSection(PanopticonOptions.SectionName);
        // GetValue names the key when a value does not parse.
        if (panopticon.GetValue<bool?>(nameof(GenAiTrackingOptions.EnableGenAiTracking)) is { } enable)
        {
            options.EnableGenAiTracking = enable;
        }

        if (panopticon.GetValue<bool?>(nameof(GenAiTrackingOptions.CaptureMessageContent)) is { } capture)
        {
            options.CaptureMessageContent = capture;
        }

        foreach (var model in configuration.GetSection(PricesSection).GetChildren())
        {
            var price = new GenAiModelPrice();
            model.Bind(price);
            options.Prices[model.Key] = price;
        }
    }
}
