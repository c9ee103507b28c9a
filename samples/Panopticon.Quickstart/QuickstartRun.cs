using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Panopticon.Quickstart;

/// <summary>The quickstart's steps, in order. Every wait is bounded; the children are stopped on every way out.</summary>
internal sealed class QuickstartRun(bool serve, bool verbose)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var workDir = Directory.CreateTempSubdirectory("panopticon-quickstart-");
        // A throwaway key for this run: it never leaves the two child processes' environments and is never printed.
        var apiKey = "qs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        ChildProcess? producer = null;
        ChildProcess? orders = null;
        try
        {
            Out.Line(Out.Bold("Panopticon quickstart"));
            Out.Line(Out.Dim($"  temporary data in {workDir.FullName}, API key {apiKey[..7]}… (generated for this run)"));
            Out.Heading("Starting");

            (producer, var producerUrl) = await ChildProcess.StartAsync(
                "producer",
                ChildApps.ProducerDll,
                [$"--Producer:Storage:Path={Path.Combine(workDir.FullName, "producer.db")}"],
                new Dictionary<string, string> { ["Producer__ApiKeys__0"] = apiKey },
                verbose,
                StartupTimeout,
                cancellationToken);
            Out.Ok($"Producer (reference backend)   {producerUrl}");

            (orders, var ordersUrl) = await ChildProcess.StartAsync(
                "orders-api",
                ChildApps.WebApiDll,
                [
                    $"--Panopticon:Endpoint={producerUrl.ToString().TrimEnd('/')}",
                    $"--ConnectionStrings:Orders=Data Source={Path.Combine(workDir.FullName, "orders.db")}",
                ],
                new Dictionary<string, string> { ["Panopticon__ApiKey"] = apiKey },
                verbose,
                StartupTimeout,
                cancellationToken);
            Out.Ok($"Orders API (demo app)          {ordersUrl}");

            using var ordersHttp = new HttpClient { BaseAddress = ordersUrl, Timeout = TimeSpan.FromSeconds(30) };
            using var producerHttp = new HttpClient { BaseAddress = producerUrl, Timeout = TimeSpan.FromSeconds(30) };
            var producerApi = new ProducerApi(producerHttp);

            Out.Heading("Sending requests to the orders API");
            var traces = await DemoTraffic.SendAsync(ordersHttp, cancellationToken);
            var traceId = traces.Order;

            Out.Heading("Flushing");
            var flushed = await FlushAsync(ordersHttp, cancellationToken);
            Out.Ok($"POST /admin/flush → IPanopticonClient.FlushAsync(): {flushed} records acknowledged by the Producer");
            var (trace, missing) = await WaitForCompleteTraceAsync(producerApi, ordersHttp, traceId, TraceCheck.Missing, cancellationToken);
            var (llmTrace, llmMissing) = await WaitForCompleteTraceAsync(producerApi, ordersHttp, traces.Assistant, TraceCheck.MissingLlmCall, cancellationToken);

            var verdict = await ReportAsync(producerApi, traceId, trace, missing, new LlmTrace(traces.Assistant, llmTrace, llmMissing), cancellationToken);
            if (serve)
            {
                await ServeAsync(producer, orders, producerUrl, ordersUrl, traceId, cancellationToken);
            }

            return verdict;
        }
        finally
        {
            // Stopping the demo app gracefully also sends what it still buffers (the SDK flushes on shutdown).
            if (orders is not null)
            {
                await orders.DisposeAsync();
            }

            if (producer is not null)
            {
                await producer.DisposeAsync();
            }

            TryDelete(workDir);
        }
    }

    private static async Task<long> FlushAsync(HttpClient orders, CancellationToken cancellationToken)
    {
        using var response = await orders.PostAsync("/admin/flush", content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return result.GetProperty("sent").GetInt64();
    }

    /// <summary>
    /// A server span ends just after its response is sent, so the last spans may miss the first flush: flush again
    /// until the trace is complete, within <see cref="ArrivalTimeout"/>.
    /// </summary>
    private static async Task<(TraceDetail? Trace, IReadOnlyList<string> Missing)> WaitForCompleteTraceAsync(
        ProducerApi producer, HttpClient orders, string traceId, Func<TraceDetail?, IReadOnlyList<string>> check, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var trace = await producer.GetTraceAsync(traceId, cancellationToken);
            var missing = check(trace);
            if (missing.Count == 0 || clock.Elapsed > ArrivalTimeout)
            {
                return (trace, missing);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            await FlushAsync(orders, cancellationToken);
        }
    }

    private static async Task<int> ReportAsync(ProducerApi producer, string traceId, TraceDetail? trace, IReadOnlyList<string> missing, LlmTrace llm, CancellationToken cancellationToken)
    {
        var traces = await producer.ListTracesAsync(cancellationToken);
        var logCount = await producer.CountLogsAsync(cancellationToken);
        Out.Heading("Arrived at the Producer");
        Out.Line($"  {traces.Sum(t => t.SpanCount)} spans and {logCount} logs in {traces.Count} traces");

        if (trace is not null && trace.Spans.Count > 0)
        {
            Out.Heading($"Trace {traceId}  (POST /orders: {trace.Spans.Count} spans, {trace.Logs.Count} logs)");
            TraceReport.PrintTree(trace);
            if (trace.Logs.Count > 0)
            {
                Out.Line();
                Out.Line("  Logs in this trace");
                TraceReport.PrintLogs(trace);
            }
        }

        if (llm.Trace is not null && llm.Trace.Spans.Count > 0)
        {
            Out.Heading($"Trace {llm.TraceId}  (GET /assistant/summary: a model call through IChatClient)");
            TraceReport.PrintTree(llm.Trace);
        }

        Out.Heading("Endpoints (last 60 minutes)");
        TraceReport.PrintStats(await producer.GetStatsAsync(cancellationToken));

        var failed = traces.FirstOrDefault(t => t.RootName == "GET /orders/fail");
        Out.Heading("Result");
        if (failed is not null)
        {
            Out.Ok($"The failing request is recorded: GET /orders/fail is {failed.Status} in trace {failed.TraceId}");
        }

        if (llm.Missing.Count > 0)
        {
            Out.Fail($"Incomplete trace {llm.TraceId}: missing {string.Join(", ", llm.Missing)} (waited {ArrivalTimeout.TotalSeconds:0} s).");
            return 1;
        }

        var call = llm.Trace!.Spans.First(s => s.IsLlm);
        Out.Ok($"LLM call traced: {call.Name}, {call.Label("llm_total_tokens")} tokens, {TraceReport.Usd(call)} at the prices in Panopticon:GenAi:Prices");

        if (missing.Count > 0)
        {
            Out.Fail($"Incomplete trace {traceId}: missing {string.Join(", ", missing)} (waited {ArrivalTimeout.TotalSeconds:0} s).");
            return 1;
        }

        Out.Ok($"Complete trace: server, HTTP client and database spans with {trace!.Logs.Count} logs, all under one trace id");
        Out.Line($"  Open it in the viewer: {Out.Cyan(producer.ViewerUrl(traceId).ToString())}");
        return 0;
    }

    private static async Task ServeAsync(ChildProcess producer, ChildProcess orders, Uri producerUrl, Uri ordersUrl, string traceId, CancellationToken cancellationToken)
    {
        Out.Heading("Serving (Ctrl+C to stop)");
        Out.Line($"  Viewer       {producerUrl}");
        Out.Line($"  This trace   {new Uri(producerUrl, $"/#/trace/{traceId}")}");
        Out.Line($"  Orders API   {ordersUrl}   e.g. curl -X POST {ordersUrl}orders -H 'Content-Type: application/json' -d '{{\"sku\":\"WIDGET-1\",\"quantity\":1,\"customer\":\"you\"}}'");
        var exited = await Task.WhenAny(producer.Exited, orders.Exited).WaitAsync(cancellationToken);
        var which = exited == producer.Exited ? producer : orders;
        throw new QuickstartException($"{which.Name} stopped unexpectedly.", which.Tail());
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A child still holding a file (Windows): the OS cleans its temp folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The trace of <c>GET /assistant/summary</c> as it arrived, and what it still lacks.</summary>
internal sealed record LlmTrace(string TraceId, TraceDetail? Trace, IReadOnlyList<string> Missing);

/// <summary>What a complete trace of <c>POST /orders</c> holds.</summary>
internal static class TraceCheck
{
    public static IReadOnlyList<string> Missing(TraceDetail? trace)
    {
        if (trace is null)
        {
            return ["the whole trace"];
        }

        var missing = new List<string>();
        if (!trace.Spans.Any(s => s.Kind == "SERVER" && s.Name == "POST /orders" && s.ParentSpanId is null))
        {
            missing.Add("the server span");
        }

        if (!trace.Spans.Any(s => s.IsHttpClient))
        {
            missing.Add("the HTTP client span");
        }

        if (!trace.Spans.Any(s => s.Kind == "SERVER" && s.ParentSpanId is not null))
        {
            missing.Add("the downstream server span");
        }

        if (!trace.Spans.Any(s => s.IsDatabase))
        {
            missing.Add("the database span");
        }

        if (trace.Logs.Count < 3)
        {
            missing.Add($"logs ({trace.Logs.Count} of 3)");
        }

        return missing;
    }

    /// <summary>What a complete trace of <c>GET /assistant/summary</c> holds: the request and its priced model call.</summary>
    public static IReadOnlyList<string> MissingLlmCall(TraceDetail? trace)
    {
        if (trace is null)
        {
            return ["the whole trace"];
        }

        var missing = new List<string>();
        if (!trace.Spans.Any(s => s.Kind == "SERVER" && s.Name == "GET /assistant/summary"))
        {
            missing.Add("the server span");
        }

        if (!trace.Spans.Any(s => s.IsLlm && s.Label("llm_total_tokens") is not null && s.Label("llm_cost_usd") is not null))
        {
            missing.Add("the LLM span with tokens and cost");
        }

        return missing;
    }
}
