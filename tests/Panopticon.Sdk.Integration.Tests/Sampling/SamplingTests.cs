using System.Diagnostics;
using System.Text.Json;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Sampling;

/// <summary>Trace sampling in a real app: whole traces kept or dropped, every failed trace sent complete.</summary>
public sealed class SamplingTests
{
    [Fact]
    public async Task At_ratio_one_tenth_every_failed_trace_arrives_whole_and_about_a_tenth_of_the_others()
    {
        await using var app = await SamplingApp.StartAsync(o => o.TracesSampleRatio = 0.1);

        // 1 000 requests, 8 at a time: every 20th answers 500, every 20th (offset 10) has a failing downstream call.
        var requests = Enumerable.Range(0, 1000).Select(i => (Id: i, Fail: (i % 20) switch { 0 => "server", 10 => "downstream", _ => null })).ToList();
        var traces = new (string TraceId, bool Sampled)[requests.Count];
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, _) =>
            traces[request.Id] = await app.GetOrderAsync(request.Id, request.Fail));
        await AllEndedAsync(app, requests: 1000);

        var spans = app.Sink.Spans.GroupBy(s => s.Str("trace_id")!).ToDictionary(g => g.Key, g => g.ToList());
        var logs = app.Sink.Logs.GroupBy(l => l.Str("trace_id")!).ToDictionary(g => g.Key, g => g.ToList());
        var failed = requests.Where(r => r.Fail is not null).Select(r => traces[r.Id].TraceId).ToHashSet();
        Assert.Equal(100, failed.Count);
        foreach (var (id, fail) in requests.Where(r => r.Fail is not null))
        {
            // Complete: the server span, the client span, and every log line of the request (a warning when the call failed).
            var traceId = traces[id].TraceId;
            Assert.True(spans.TryGetValue(traceId, out var traceSpans), $"failed trace {traceId} ({fail}) was not sent");
            Assert.Equal(["CLIENT", "SERVER"], traceSpans.Select(s => s.Str("kind")!).Order());
            var root = Assert.Single(traceSpans, s => s.Str("kind") == "SERVER");
            Assert.Equal(fail == "server" ? 500 : 200, root.Int("http_status_code"));
            Assert.Equal(fail == "downstream" ? "ERROR" : "OK", Assert.Single(traceSpans, s => s.Str("kind") == "CLIENT").Str("status"));
            Assert.Equal(1d, root.GetProperty("labels").GetProperty("sample_rate").GetDouble());
            var expectedLogs = fail == "downstream" ? 3 : 2;
            Assert.Equal(expectedLogs, logs[traceId].Count);
        }

        // The others: about a tenth, each whole, and nothing from the rest.
        var others = requests.Where(r => r.Fail is null).Select(r => traces[r.Id]).ToList();
        var sent = others.Where(t => spans.ContainsKey(t.TraceId)).ToList();
        Assert.InRange(sent.Count, 54, 126); // binomial(900, 0.1): mean 90, 4 standard deviations (9) either side
        Assert.All(sent, t =>
        {
            Assert.True(t.Sampled, "a sent trace was sampled when it started");
            Assert.Equal(2, spans[t.TraceId].Count);
            Assert.Equal(0.1, Assert.Single(spans[t.TraceId], s => s.Str("kind") == "SERVER").GetProperty("labels").GetProperty("sample_rate").GetDouble());
            Assert.Equal(2, logs[t.TraceId].Count);
        });
        Assert.All(others.Except(sent), t => Assert.False(logs.ContainsKey(t.TraceId)));
        Assert.Equal(failed.Count + sent.Count, spans.Count);
        Assert.Equal(spans.Keys.Order(), logs.Keys.Order());

        // What was left out is counted: 4 records (2 spans, 2 logs) of each dropped trace.
        var statistics = app.Panopticon.Statistics;
        var sampledFailures = requests.Count(r => r.Fail is not null && traces[r.Id].Sampled);
        Assert.Equal(100 - sampledFailures, statistics.TracesKeptForErrors);
        Assert.Equal(4 * (900 - sent.Count), statistics.DroppedByReason[PanopticonStatistics.SampledOut]);
        Assert.Equal(0, statistics.TracesEvicted);
        Assert.Equal(0, app.Sampling.PendingRecords);
    }

    [Fact]
    public async Task A_caller_that_did_not_sample_gets_nothing_sent_and_one_that_did_is_kept_at_ratio_zero()
    {
        await using var app = await SamplingApp.StartAsync(o => o.TracesSampleRatio = 0);

        var notSampled = await app.GetOrderAsync(1, traceparent: Traceparent(sampled: false));
        var sampled = await app.GetOrderAsync(2, traceparent: Traceparent(sampled: true));
        var noCaller = await app.GetOrderAsync(3);
        await AllEndedAsync(app, requests: 3);

        Assert.False(notSampled.Sampled);
        Assert.True(sampled.Sampled);
        Assert.False(noCaller.Sampled);
        Assert.All(app.Sink.Spans, s => Assert.Equal(sampled.TraceId, s.Str("trace_id")));
        Assert.All(app.Sink.Logs, l => Assert.Equal(sampled.TraceId, l.Str("trace_id")));
        Assert.Equal(["CLIENT", "SERVER"], app.Sink.Spans.Select(s => s.Str("kind")!).Order());
        Assert.Equal(2, app.Sink.Logs.Count);
        // The unsampled caller's 2 log lines (OpenTelemetry did not record its spans), and the 2 spans and 2 logs of the last request.
        Assert.Equal(6, app.Panopticon.Statistics.DroppedByReason[PanopticonStatistics.SampledOut]);
    }

    [Fact]
    public async Task With_sampling_off_everything_OpenTelemetry_records_is_sent_whatever_the_callers_flag()
    {
        await using var app = await SamplingApp.StartAsync(_ => { }, alwaysOnSampler: true);

        var unsampledCaller = await app.GetOrderAsync(1, traceparent: Traceparent(sampled: false));
        await AllEndedAsync(app, requests: 1);

        Assert.True(unsampledCaller.Sampled);
        Assert.Equal(["CLIENT", "SERVER"], app.Sink.Spans.Select(s => s.Str("kind")!).Order());
        Assert.Equal(2, app.Sink.Logs.Count);
        Assert.All(app.Sink.Spans, s => Assert.False(s.HasLabel("sample_rate")));
        Assert.Equal(0, app.Panopticon.Statistics.TracesNotSampled);
    }

    [Fact]
    public async Task When_the_app_records_a_callers_unsampled_trace_a_failure_in_it_is_still_sent_whole()
    {
        await using var app = await SamplingApp.StartAsync(o => o.TracesSampleRatio = 0.5, alwaysOnSampler: true);

        var quiet = await app.GetOrderAsync(1, traceparent: Traceparent(sampled: false));
        var failing = await app.GetOrderAsync(2, fail: "server", traceparent: Traceparent(sampled: false));
        await AllEndedAsync(app, requests: 2);

        Assert.False(failing.Sampled);
        Assert.All(app.Sink.Spans, s => Assert.Equal(failing.TraceId, s.Str("trace_id")));
        Assert.Equal(["CLIENT", "SERVER"], app.Sink.Spans.Select(s => s.Str("kind")!).Order());
        Assert.Equal(2, app.Sink.Logs.Count(l => l.Str("trace_id") == failing.TraceId));
        Assert.NotEqual(quiet.TraceId, failing.TraceId);
        Assert.Equal(1, app.Panopticon.Statistics.TracesKeptForErrors);
    }

    private static string Traceparent(bool sampled) =>
        $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{(sampled ? "01" : "00")}";

    /// <summary>
    /// Waits until every request has ended on the server (its server span ends just after the response reaches the
    /// client), the app's and its downstream call's, then flushes: every trace is decided and what it kept is sent.
    /// </summary>
    private static async Task AllEndedAsync(SamplingApp app, int requests)
    {
        await Wait.UntilAsync(() => app.RequestsEnded >= 2 * requests, TimeSpan.FromSeconds(30), "every request to end");
        Assert.Equal(0, app.Sampling.PendingCount);
        var result = await app.Panopticon.FlushAsync();
        Assert.True(result.Succeeded, result.ToString());
    }
}
