namespace Panopticon.Sdk.AI;

/// <summary>OpenTelemetry GenAI tag names (current and legacy conventions) and the labels Panopticon sends instead.</summary>
internal static class GenAiTags
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string System = "gen_ai.system"; // older conventions (Semantic Kernel)
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string PromptTokens = "gen_ai.usage.prompt_tokens"; // older conventions
    public const string CompletionTokens = "gen_ai.usage.completion_tokens"; // older conventions
    public const string CacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";
    public const string TimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
    public const string SystemInstructions = "gen_ai.system_instructions";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";

    public const string LlmOperation = "llm_operation";
    public const string LlmProvider = "llm_provider";
    public const string LlmModel = "llm_model";
    public const string LlmInputTokens = "llm_input_tokens";
    public const string LlmOutputTokens = "llm_output_tokens";
    public const string LlmCachedInputTokens = "llm_cached_input_tokens";
    public const string LlmTotalTokens = "llm_total_tokens";
    public const string LlmCostUsd = "llm_cost_usd";
    public const string LlmTimeToFirstChunkMs = "llm_time_to_first_chunk_ms";
    public const string LlmSystemInstructions = "llm_system_instructions";
    public const string LlmInputMessages = "llm_input_messages";
    public const string LlmOutputMessages = "llm_output_messages";

    /// <summary>Tags replaced by an <c>llm_*</c> label, or (message text) removed unless captured on purpose.</summary>
    public static readonly string[] Mapped =
    [
        OperationName, ProviderName, System, RequestModel, ResponseModel, InputTokens, OutputTokens, PromptTokens,
        CompletionTokens, CacheReadInputTokens, TimeToFirstChunk, SystemInstructions, InputMessages, OutputMessages,
    ];
}
