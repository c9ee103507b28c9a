using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Panopticon.Samples.WebApi.Orders;
using Panopticon.Sdk;

namespace Panopticon.Samples.WebApi.Assistant;

/// <summary>
/// An LLM feature: <c>GET /assistant/summary</c> reads the recent orders (a database command) and asks a model to
/// summarise them through <see cref="IChatClient"/> (an LLM span with model, tokens and cost). Nothing here knows
/// about Panopticon: <c>UsePanopticon()</c> on the chat client in <c>Program.cs</c> does it all.
/// </summary>
public static class AssistantEndpoints
{
    public static void MapAssistant(this IEndpointRouteBuilder app) =>
        app.MapGet("/assistant/summary", async (IChatClient chat, OrdersDbContext db, ILogger<AssistantResponse> logger, CancellationToken cancellationToken) =>
        {
            var recent = await db.Orders.OrderByDescending(o => o.Id).Take(20).ToListAsync(cancellationToken);
            var lines = string.Join('\n', recent.Select(o => $"{o.Quantity} x {o.Sku} for {o.Customer}"));
            var response = await chat.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, "You summarise a shop's recent orders in one sentence."),
                    new ChatMessage(ChatRole.User, $"Recent orders:\n{lines}"),
                ],
                cancellationToken: cancellationToken);

            logger.LogInformation("Summary of {OrderCount} orders written by {Model}", recent.Count, response.ModelId);
            return TypedResults.Ok(new AssistantResponse(response.Text, PanopticonTrace.CurrentTraceId));
        });
}

/// <summary>The body of <c>GET /assistant/summary</c>.</summary>
public sealed record AssistantResponse(string Summary, string? TraceId);
