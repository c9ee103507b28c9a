using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.AI;

public sealed class LlmSpanTests
{
    /// <summary>Prices per million tokens; <c>gpt-4o</c> is a shorter prefix of the model that must not win.</summary>
    private static readonly Dictionary<string, string?> Prices = new()
    {
        ["Panopticon:GenAi:Prices:gpt-4o-mini:InputPerMillionTokens"] = "0.15",
        ["Panopticon:GenAi:Prices:gpt-4o-mini:OutputPerMillionTokens"] = "0.60",
        ["Panopticon:GenAi:Prices:gpt-4o-mini:CachedInputPerMillionTokens"] = "0.075",
        ["Panopticon:GenAi:Prices:gpt-4o:InputPerMillionTokens"] = "2.50",
        ["Panopticon:GenAi:Prices:gpt-4o:OutputPerMillionTokens"] = "10.00",
    };

    [Fact]
    public async Task A_chat_call_in_a_request_is_one_client_span_under_the_server_span_with_model_tokens_and_cost()
    {
        await using var app = await ChatApp.StartAsync(Prices);

        var answer = (await app.Client.GetFromJsonAsync<ChatApp.Answer>("/ask"))!;

        var spans = await app.SpansOfRequestAsync(answer.TraceId);
        var server = Assert.Single(spans, s => s.Str("kind") == "SERVER");
        var llm = Assert.Single(spans, ChatApp.IsChat);
        Assert.Equal("chat gpt-4o-mini", llm.Str("name"));
        Assert.Equal("CLIENT", llm.Str("kind"));
        Assert.Equal("OK", llm.Str("status"));
        Assert.Equal(server.Str("span_id"), llm.Str("parent_span_id"));
        Assert.Equal("openai", Text(llm, "llm_provider"));
        Assert.Equal(ModelStub.ResponseModel, Text(llm, "llm_model"));
        Assert.Equal("chat", Text(llm, "llm_operation"));
        Assert.Equal(1200, Whole(llm, "llm_input_tokens"));
        Assert.Equal(300, Whole(llm, "llm_output_tokens"));
        Assert.Equal(200, Whole(llm, "llm_cached_input_tokens"));
        Assert.Equal(1500, Whole(llm, "llm_total_tokens"));

        // 1 000 uncached input tokens at 0.15, 200 cached at 0.075, 300 output at 0.60, per million; gpt-4o's price
        // (a shorter prefix of the model's name) would give 0.0055.
        const double expected = ((1000 * 0.15) + (200 * 0.075) + (300 * 0.60)) / 1_000_000;
        Assert.Equal(0.000345, expected, 12);
        Assert.Equal(expected, Number(llm, "llm_cost_usd"), 12);

        // Mapped gen_ai.* tags are not sent a second time under their own (sanitized) names.
        Assert.False(llm.HasLabel("gen_ai_usage_input_tokens"));
        Assert.False(llm.HasLabel("gen_ai_request_model"));

        var log = Assert.Single(app.Producer.Logs, l => l.Str("message") == "The model answered");
        Assert.Equal(answer.TraceId, log.Str("trace_id"));
    }

    [Fact]
    public async Task A_streamed_call_is_one_span_with_the_tokens_of_the_final_usage_chunk()
    {
        await using var app = await ChatApp.StartAsync(Prices);

        var answer = (await app.Client.GetFromJsonAsync<ChatApp.Answer>("/ask-stream"))!;

        Assert.Equal(ModelStub.Answer, answer.Text);
        Assert.Contains("\"stream\":true", Assert.Single(app.Model.Requests), StringComparison.Ordinal);
        var spans = await app.SpansOfRequestAsync(answer.TraceId);
        var llm = Assert.Single(spans, ChatApp.IsChat);
        Assert.Equal("CLIENT", llm.Str("kind"));
        Assert.Equal(ModelStub.ResponseModel, Text(llm, "llm_model"));
        Assert.Equal(1200, Whole(llm, "llm_input_tokens"));
        Assert.Equal(300, Whole(llm, "llm_output_tokens"));
        Assert.Equal(200, Whole(llm, "llm_cached_input_tokens"));
        Assert.Equal(1500, Whole(llm, "llm_total_tokens"));
        Assert.Equal(0.000345, Number(llm, "llm_cost_usd"), 12);
        var firstChunk = Number(llm, "llm_time_to_first_chunk_ms");
        Assert.InRange(firstChunk, 0, llm.GetProperty("duration_ms").GetDouble());
    }

    [Fact]
    public async Task A_429_from_the_model_is_an_error_span()
    {
        await using var app = await ChatApp.StartAsync(Prices, modelFailsWith: 429);

        using var response = await app.Client.GetAsync("/ask");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var llm = await app.ChatSpanAsync();
        Assert.Equal("ERROR", llm.Str("status"));
        Assert.Equal("System.ClientModel.ClientResultException", llm.Label("error_type"));
        Assert.Contains("429", llm.Label("error_message"), StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", Text(llm, "llm_model"));
        Assert.False(llm.HasLabel("llm_cost_usd")); // no usage, no cost
    }

    [Fact]
    public async Task Without_a_price_there_is_no_cost_and_without_CaptureMessageContent_no_message_text_anywhere()
    {
        await using var app = await ChatApp.StartAsync();

        var answer = (await app.Client.GetFromJsonAsync<ChatApp.Answer>("/ask"))!;

        var llm = Assert.Single(await app.SpansOfRequestAsync(answer.TraceId), ChatApp.IsChat);
        Assert.Equal(1500, Whole(llm, "llm_total_tokens"));
        Assert.False(llm.HasLabel("llm_cost_usd"));
        Assert.Contains(ChatApp.Prompt, Assert.Single(app.Model.Requests), StringComparison.Ordinal); // the model got it …
        var payloads = app.AllPayloads();
        Assert.DoesNotContain("life, the universe", payloads, StringComparison.Ordinal); // … Panopticon did not
        Assert.DoesNotContain("Forty-two", payloads, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_text_from_the_applications_own_UseOpenTelemetry_with_sensitive_data_is_removed_too()
    {
        await using var app = await ChatApp.StartAsync(pipeline: b => b.UseOpenTelemetry(configure: o => o.EnableSensitiveData = true));

        var answer = (await app.Client.GetFromJsonAsync<ChatApp.Answer>("/ask"))!;

        var llm = Assert.Single(await app.SpansOfRequestAsync(answer.TraceId), ChatApp.IsChat);
        Assert.Equal(300, Whole(llm, "llm_output_tokens"));
        var payloads = app.AllPayloads();
        Assert.DoesNotContain("life, the universe", payloads, StringComparison.Ordinal);
        Assert.DoesNotContain("Forty-two", payloads, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaptureMessageContent_sends_the_prompt_and_the_answer()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Panopticon:CaptureMessageContent"] = "true" });

        var answer = (await app.Client.GetFromJsonAsync<ChatApp.Answer>("/ask"))!;

        var llm = Assert.Single(await app.SpansOfRequestAsync(answer.TraceId), ChatApp.IsChat);
        Assert.Contains(ChatApp.Prompt, Text(llm, "llm_input_messages"), StringComparison.Ordinal);
        Assert.Contains(ModelStub.Answer, Text(llm, "llm_output_messages"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnableGenAiTracking_false_sends_no_LLM_span()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Panopticon:EnableGenAiTracking"] = "false" });

        var answer = (await app.Client.GetFromJsonAsync<ChatApp.Answer>("/ask"))!;

        var spans = await app.SpansOfRequestAsync(answer.TraceId);
        Assert.DoesNotContain(spans, ChatApp.IsChat);
        Assert.Contains(spans, s => s.Str("http_path") == "/v1/chat/completions"); // the HTTP call itself is still traced
    }

    public static TheoryData<string> Pipelines => ["UsePanopticon", "UseOpenTelemetry then UsePanopticon", "UsePanopticon then UseOpenTelemetry"];

    [Theory]
    [MemberData(nameof(Pipelines))]
    public async Task UsePanopticon_beside_UseOpenTelemetry_still_gives_one_span_per_call(string pipeline)
    {
        Func<ChatClientBuilder, ChatClientBuilder> wire = pipeline switch
        {
            "UsePanopticon" => b => b.UsePanopticon(),
            "UseOpenTelemetry then UsePanopticon" => b => b.UseOpenTelemetry().UsePanopticon(),
            _ => b => b.UsePanopticon().UseOpenTelemetry(),
        };
        await using var app = await ChatApp.StartAsync(pipeline: wire);

        var answer = (await app.Client.GetFromJsonAsync<ChatApp.Answer>("/ask"))!;

        var spans = await app.SpansOfRequestAsync(answer.TraceId);
        var llm = Assert.Single(spans, ChatApp.IsChat);
        Assert.Equal(300, Whole(llm, "llm_output_tokens"));
    }

    private static string? Text(JsonElement span, string label) =>
        span.GetProperty("labels").TryGetProperty(label, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Whole(JsonElement span, string label) =>
        span.GetProperty("labels").TryGetProperty(label, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static double Number(JsonElement span, string label)
    {
        var value = span.GetProperty("labels").GetProperty(label);
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        return value.GetDouble();
    }
}
