using System.Text.Json;

namespace Panopticon.Samples.WebApi.Assistant;

/// <summary>
/// Stands in for an OpenAI-compatible model service (<c>POST /v1/chat/completions</c>), so the demo runs without a
/// network or a key. It answers like the real API, with a <c>usage</c> block: about one token per four characters of
/// the prompt, and a tenth of them served from the prompt cache. Set <c>Assistant:Endpoint</c> to call a real one.
/// </summary>
public static class StubModelEndpoints
{
    public const string Model = "gpt-4o-mini";
    private const string ResponseModel = "gpt-4o-mini-2024-07-18";

    public static void MapStubModel(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/chat/completions", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            var prompt = string.Concat(body.RootElement.GetProperty("messages").EnumerateArray()
                .Select(m => m.TryGetProperty("content", out var content) ? content.ToString() : ""));
            var orders = prompt.Count(c => c == '\n');
            var answer = $"{orders} recent orders, mostly widgets; every one was in stock.";

            // Simulated model latency, so the waterfall has something to show.
            await Task.Delay(TimeSpan.FromMilliseconds(40), cancellationToken);
            var promptTokens = Math.Max(1, prompt.Length / 4);
            var completionTokens = Math.Max(1, answer.Length / 4);
            return TypedResults.Json(new
            {
                id = "chatcmpl-demo",
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model = ResponseModel,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
                usage = new
                {
                    prompt_tokens = promptTokens,
                    completion_tokens = completionTokens,
                    total_tokens = promptTokens + completionTokens,
                    prompt_tokens_details = new { cached_tokens = promptTokens / 10 },
                },
            });
        });
}
