using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Panopticon.Quickstart;

/// <summary>The handful of requests the quickstart sends to the demo app, including one that fails on purpose.</summary>
internal static class DemoTraffic
{
    /// <returns>The trace ids the report shows: the first order placed, and the order summary written by a model.</returns>
    public static async Task<DemoTraces> SendAsync(HttpClient app, CancellationToken cancellationToken)
    {
        var first = await SendAsync(app, HttpMethod.Post, "/orders", "2 x WIDGET-1 for ada", new { sku = "WIDGET-1", quantity = 2, customer = "ada" }, cancellationToken);
        await SendAsync(app, HttpMethod.Post, "/orders", "1 x GADGET-7 for grace", new { sku = "GADGET-7", quantity = 1, customer = "grace" }, cancellationToken);
        await SendAsync(app, HttpMethod.Post, "/orders", "500 x WIDGET-1 (too many)", new { sku = "WIDGET-1", quantity = 500, customer = "linus" }, cancellationToken);
        await SendAsync(app, HttpMethod.Get, "/orders", "recent orders", null, cancellationToken);
        await SendAsync(app, HttpMethod.Get, $"/orders/{first.Body.GetProperty("id").GetInt32()}", "one order", null, cancellationToken);
        await SendAsync(app, HttpMethod.Get, "/orders/999", "unknown order", null, cancellationToken);
        await SendAsync(app, HttpMethod.Get, "/trace-id", "PanopticonTrace.CurrentTraceId", null, cancellationToken);
        await SendAsync(app, HttpMethod.Get, "/orders/fail", "fails on purpose", null, cancellationToken);
        var summary = await SendAsync(app, HttpMethod.Get, "/assistant/summary", "asks a model (stub)", null, cancellationToken);

        if (first.Status != 201 || first.TraceId is null)
        {
            throw new QuickstartException($"POST /orders answered {first.Status} without a trace id; the demo app is not working.");
        }

        if (summary.Status != 200 || summary.TraceId is null)
        {
            throw new QuickstartException($"GET /assistant/summary answered {summary.Status} without a trace id; the demo app is not working.");
        }

        return new DemoTraces(first.TraceId, summary.TraceId);
    }

    private static async Task<(int Status, string? TraceId, JsonElement Body)> SendAsync(
        HttpClient app, HttpMethod method, string path, string note, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        var clock = Stopwatch.StartNew();
        using var response = await app.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        var traceId = response.Headers.TryGetValues("X-Trace-Id", out var values) ? values.FirstOrDefault() : null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var json = text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;

        var status = (int)response.StatusCode;
        var statusText = $"{status} {response.ReasonPhrase}";
        var painted = status >= 500 ? Out.Red(statusText) : status >= 400 ? Out.Yellow(statusText) : Out.Green(statusText);
        Out.Line($"  {method.Method,-5}{path,-20}{Out.Dim(Out.Pad(note, 32, note.Length))}{Out.Pad(painted, 28, statusText.Length)}{elapsed,6:0} ms");
        return (status, traceId, json);
    }
}

/// <param name="Order">The trace of the first <c>POST /orders</c>.</param>
/// <param name="Assistant">The trace of <c>GET /assistant/summary</c>, with its model call.</param>
internal sealed record DemoTraces(string Order, string Assistant);
