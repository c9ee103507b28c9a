using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using Panopticon.Sdk.AI;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.AI;

/// <summary>
/// A web app that asks a model: Kestrel on a loopback port, monitored with <c>AddPanopticonMonitoring</c> +
/// <c>AddGenAiTracking</c> bound from configuration, an <c>IChatClient</c> from Microsoft.Extensions.AI.OpenAI pointed
/// at the <see cref="ModelStub"/>. <c>GET /ask</c> and <c>GET /ask-stream</c> call the model, then log.
/// </summary>
internal sealed class ChatApp : IAsyncDisposable
{
    public const string Prompt = "What is the answer to life, the universe and everything?";

    private readonly WebApplication _app;

    private ChatApp(WebApplication app, HttpClient client, ProducerStub producer, ModelStub model)
    {
        _app = app;
        Client = client;
        Producer = producer;
        Model = model;
    }

    public HttpClient Client { get; }

    public ProducerStub Producer { get; }

    public ModelStub Model { get; }

    public static async Task<ChatApp> StartAsync(
        IDictionary<string, string?>? settings = null,
        Func<ChatClientBuilder, ChatClientBuilder>? pipeline = null,
        int? modelFailsWith = null)
    {
        var producer = new ProducerStub();
        var model = new ModelStub(modelFailsWith);
        var builder = LoopbackApp.CreateBuilder(producer, "assistant", "/sdk", "/v1");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Panopticon:TraceIdResponseHeader"] = "X-Trace-Id" });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddPanopticonMonitoring(builder.Configuration).AddGenAiTracking();
        var openAi = new OpenAIClient(
            new ApiKeyCredential("model-key"),
            new OpenAIClientOptions { Endpoint = model.Endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });
        var chat = builder.Services.AddChatClient(openAi.GetChatClient("gpt-4o-mini").AsIChatClient());
        (pipeline ?? (b => b.UsePanopticon()))(chat);

        var app = builder.Build();
        app.MapGet("/ask", async (IChatClient client, ILoggerFactory loggers) =>
        {
            var response = await client.GetResponseAsync(Prompt);
            loggers.CreateLogger("Assistant").LogInformation("The model answered");
            return Results.Ok(new Answer(response.Text, PanopticonTrace.CurrentTraceId!));
        });
        app.MapGet("/ask-stream", async (IChatClient client, ILoggerFactory loggers) =>
        {
            var text = "";
            await foreach (var update in client.GetStreamingResponseAsync(Prompt))
            {
                text += update.Text;
            }

            loggers.CreateLogger("Assistant").LogInformation("The model answered");
            return Results.Ok(new Answer(text, PanopticonTrace.CurrentTraceId!));
        });
        await app.StartAsync();

        return new ChatApp(app, LoopbackApp.ClientOf(app), producer, model);
    }

    /// <summary>Flushes until the request's server span has arrived (it ends just after the response).</summary>
    public async Task<IReadOnlyList<JsonElement>> SpansOfRequestAsync(string traceId)
    {
        var spans = await FlushUntilAsync(spans => spans.Any(s => s.Str("trace_id") == traceId && s.Str("kind") == "SERVER"));
        return [.. spans.Where(s => s.Str("trace_id") == traceId)];
    }

    /// <summary>Flushes until the model call's span has arrived, for a request whose trace id is not known.</summary>
    public async Task<JsonElement> ChatSpanAsync() =>
        Assert.Single(await FlushUntilAsync(spans => spans.Any(IsChat)), IsChat);

    public static bool IsChat(JsonElement span) => span.Str("name")!.StartsWith("chat", StringComparison.Ordinal);

    /// <summary>Every record the Producer received, as the JSON text it was sent in.</summary>
    public string AllPayloads() => string.Join('\n', Producer.Spans.Concat(Producer.Logs).Select(r => r.GetRawText()));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Producer.Dispose();
        Model.Dispose();
    }

    private Task<IReadOnlyList<JsonElement>> FlushUntilAsync(Func<IReadOnlyList<JsonElement>, bool> arrived) =>
        LoopbackApp.FlushUntilAsync(_app.Services, Producer, arrived, "the spans");

    internal sealed record Answer(string Text, string TraceId);
}
