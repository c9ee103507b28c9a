namespace Panopticon.Sdk.AI;

/// <summary>
/// What a model costs, in US dollars per million tokens. Cached input tokens are part of the input tokens (as in
/// OpenAI's usage): they are priced at <see cref="CachedInputPerMillionTokens"/> and the rest of the input at
/// <see cref="InputPerMillionTokens"/>.
/// </summary>
public sealed class GenAiModelPrice
{
    /// <summary>Price of a million input (prompt) tokens. Required.</summary>
    public decimal? InputPerMillionTokens { get; set; }

    /// <summary>Price of a million output (completion) tokens. Required.</summary>
    public decimal? OutputPerMillionTokens { get; set; }

    /// <summary>Price of a million cached input tokens; when not set they cost as much as other input tokens.</summary>
    public decimal? CachedInputPerMillionTokens { get; set; }
}
