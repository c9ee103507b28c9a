using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;

namespace Panopticon.Sdk.AI;

/// <summary>
/// Turns the OpenTelemetry GenAI tags of an ended model call (Microsoft.Extensions.AI, Semantic Kernel or any other
/// source following the conventions) into Panopticon's <c>llm_*</c> labels, before Panopticon copies the span.
/// </summary>
/// <remarks>
/// The <c>gen_ai.*</c> tags it maps are removed, so each fact is sent once under a stable name and type (tokens as
/// integers, cost and time as decimals); unmapped ones (temperature, finish reasons, response id) stay as labels
/// under their own names. Message text is removed unless <see cref="GenAiTrackingOptions.CaptureMessageContent"/>.
/// </remarks>
internal sealed class GenAiSpanEnricher(PriceTable prices, bool captureMessageContent) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem(GenAiTags.OperationName) is not string operation)
        {
            return;
        }

        var call = ModelCall.Read(data);
        foreach (var key in GenAiTags.Mapped)
        {
            data.SetTag(key, null); // removes the tag
        }

        data.SetTag(GenAiTags.LlmOperation, operation);
        data.SetTag(GenAiTags.LlmProvider, call.Provider);
        data.SetTag(GenAiTags.LlmModel, call.Model);
        data.SetTag(GenAiTags.LlmInputTokens, call.InputTokens);
        data.SetTag(GenAiTags.LlmOutputTokens, call.OutputTokens);
        data.SetTag(GenAiTags.LlmCachedInputTokens, call.CachedInputTokens);
        data.SetTag(GenAiTags.LlmTotalTokens, call.InputTokens + call.OutputTokens);
        data.SetTag(GenAiTags.LlmCostUsd, prices.CostOf(call.Model, call.InputTokens, call.OutputTokens, call.CachedInputTokens));
        data.SetTag(GenAiTags.LlmTimeToFirstChunkMs, call.TimeToFirstChunkSeconds * 1000);
        if (captureMessageContent)
        {
            data.SetTag(GenAiTags.LlmSystemInstructions, call.SystemInstructions);
            data.SetTag(GenAiTags.LlmInputMessages, call.InputMessages);
            data.SetTag(GenAiTags.LlmOutputMessages, call.OutputMessages);
        }
    }

    /// <summary>The GenAI tags of one span, read in one pass before any is changed.</summary>
    private struct ModelCall
    {
        public string? Provider;
        public string? Model;
        public long? InputTokens;
        public long? OutputTokens;
        public long? CachedInputTokens;
        public double? TimeToFirstChunkSeconds;
        public string? SystemInstructions;
        public string? InputMessages;
        public string? OutputMessages;

        public static ModelCall Read(Activity activity)
        {
            var call = default(ModelCall);
            string? requestModel = null;
            string? system = null;
            foreach (var (key, value) in activity.EnumerateTagObjects())
            {
                switch (key)
                {
                    case GenAiTags.ProviderName: call.Provider = value as string; break;
                    case GenAiTags.System: system = value as string; break;
                    case GenAiTags.RequestModel: requestModel = value as string; break;
                    case GenAiTags.ResponseModel: call.Model = value as string; break;
                    case GenAiTags.InputTokens or GenAiTags.PromptTokens: call.InputTokens = ToInt64(value); break;
                    case GenAiTags.OutputTokens or GenAiTags.CompletionTokens: call.OutputTokens = ToInt64(value); break;
                    case GenAiTags.CacheReadInputTokens: call.CachedInputTokens = ToInt64(value); break;
                    case GenAiTags.TimeToFirstChunk: call.TimeToFirstChunkSeconds = ToDouble(value); break;
                    case GenAiTags.SystemInstructions: call.SystemInstructions = value?.ToString(); break;
                    case GenAiTags.InputMessages: call.InputMessages = value?.ToString(); break;
                    case GenAiTags.OutputMessages: call.OutputMessages = value?.ToString(); break;
                }
            }

            call.Provider ??= system;
            call.Model = NullIfEmpty(call.Model) ?? NullIfEmpty(requestModel);
            return call;
        }

        private static long? ToInt64(object? value) => value switch
        {
            int number => number,
            long number => number,
            string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            IConvertible number and not string and not bool => Convert.ToInt64(number, CultureInfo.InvariantCulture),
            _ => null,
        };

        private static double? ToDouble(object? value) => value switch
        {
            double number => number,
            IConvertible number and not string and not bool => Convert.ToDouble(number, CultureInfo.InvariantCulture),
            _ => null,
        };

        private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
