using Microsoft.Extensions.Options;

namespace Panopticon.Sdk.AI;

/// <summary>Fails startup on a price table that would give wrong costs, naming the option as configuration spells it.</summary>
internal sealed class GenAiTrackingOptionsValidator : IValidateOptions<GenAiTrackingOptions>
{
    public ValidateOptionsResult Validate(string? name, GenAiTrackingOptions options)
    {
        var errors = new List<string>();
        foreach (var (model, price) in options.Prices)
        {
            var prefix = $"{GenAiConfiguration.PricesSection}:{model}";
            if (string.IsNullOrWhiteSpace(model))
            {
                errors.Add($"{GenAiConfiguration.PricesSection} has an entry without a model name.");
            }

            if (price is null)
            {
                errors.Add($"{prefix} has no prices.");
                continue;
            }

            Require(errors, $"{prefix}:{nameof(GenAiModelPrice.InputPerMillionTokens)}", price.InputPerMillionTokens, required: true);
            Require(errors, $"{prefix}:{nameof(GenAiModelPrice.OutputPerMillionTokens)}", price.OutputPerMillionTokens, required: true);
            Require(errors, $"{prefix}:{nameof(GenAiModelPrice.CachedInputPerMillionTokens)}", price.CachedInputPerMillionTokens, required: false);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Require(List<string> errors, string option, decimal? value, bool required)
    {
        if (value is null && required)
        {
            errors.Add($"{option} must be set.");
        }
        else if (value < 0)
        {
            errors.Add($"{option} ({value}) must not be negative.");
        }
    }
}
