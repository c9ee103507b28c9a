using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Tests.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Tests;

public sealed class QueueAndFlushTests
{
    private readonly FakeTimeProvider _time = new(Records.Noon);

    [Theory]
    [InlineData(PanopticonOverflowPolicy.DropOldest, 250)]
    [InlineData(PanopticonOverflowPolicy.DropNewest, 200)]
    public async Task A_full_queue_drops_exactly_the_excess_counts_it_and_reports_it_as_a_warn_log(PanopticonOverflowPolicy policy, int firstKept)
    {
        var gate = new TaskCompletionSource<TransportResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new List<string>();
        var transport = new ScriptedTransport(async (request, _) =>
        {
            var response = await gate.Task;
            lock (sent)
            {
                sent.AddRange(System.Text.Json.JsonDocument.Parse(request.Json).RootElement.EnumerateArray().Select(r => r.GetProperty("message").GetString()!));
            }

            return response;
        });
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 100; o.MaxQueueSize = 100; o.OverflowPolicy = policy; }, transport, _time);

        // Both export lanes take a batch and wait for the endpoint.
        for (var batch = 0; batch < 2; batch++)
        {
            for (var i = batch * 100; i < (batch + 1) * 100; i++)
            {
                client.TryWriteLog(Records.Log($"{i}"));
            }

            await Wait.UntilAsync(() => transport.Calls == batch + 1, what: $"batch {batch + 1} to be in flight");
        }

        for (var i = 200; i < 350; i++)
        {
            client.TryWriteLog(Records.Log($"{i}")); // queue holds 100: 50 of these 150 cannot fit
        }

        Assert.Equal(50, client.Statistics.DroppedByReason["queue_full"]);
        Assert.Equal(300, client.BufferSize); // 2 lanes × 100 in flight + 100 queued: memory stays bounded
        gate.SetResult(new TransportResponse(202));
        await client.FlushAsync();

        Assert.Equal(0, client.BufferSize);
        var appLogs = sent.Where(m => !m.StartsWith("Panopticon SDK", StringComparison.Ordinal)).Select(int.Parse).Order();
        Assert.Equal(Enumerable.Range(0, 200).Concat(Enumerable.Range(firstKept, 100)), appLogs);

        // The drop report travels with the next batch as one WARN log.
        var report = await NextDropReportAsync(client, sent);
        Assert.Equal("Panopticon SDK dropped 50 logs and 0 spans since its last report (queue_full: 50).", report);
    }

    [Fact]
    public async Task FlushAsync_waits_for_a_slow_acknowledgement()
    {
        var gate = new TaskCompletionSource<TransportResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new ScriptedTransport((_, _) => gate.Task);
        await using var client = PanopticonClient.Create(o => o.ApiKey = "k", transport, _time);

        client.TryWriteLog(Records.Log());
        client.TryWriteSpan(Records.EndedSpan());
        var flush = client.FlushAsync();
        await Wait.UntilAsync(() => transport.Calls == 2, what: "both batches in flight");

        Assert.False(flush.IsCompleted);
        Assert.Equal(2, client.BufferSize);
        gate.SetResult(new TransportResponse(202));
        var result = await flush;

        Assert.Equal(new FlushResult(true, 2, 0, 0), result);
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task FlushAsync_cancelled_returns_an_incomplete_result_without_throwing()
    {
        var gate = new TaskCompletionSource<TransportResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new ScriptedTransport((_, _) => gate.Task);
        await using var client = PanopticonClient.Create(o => o.ApiKey = "k", transport, _time);
        client.TryWriteLog(Records.Log());
        using var cancel = new CancellationTokenSource();

        var flush = client.FlushAsync(cancel.Token);
        await Wait.UntilAsync(() => transport.Calls == 1);
        await cancel.CancelAsync();
        var result = await flush;

        Assert.False(result.Completed);
        Assert.Equal(1, client.BufferSize);
        gate.SetResult(new TransportResponse(202));
    }

    [Fact]
    public async Task FlushAsync_with_nothing_buffered_completes_at_once()
    {
        await using var client = PanopticonClient.Create(o => o.ApiKey = "k", new ScriptedTransport((_, _) => Task.FromResult(new TransportResponse(202))), _time);

        var result = await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.Sent);
    }

    [Fact]
    public async Task Records_after_dispose_are_dropped_and_counted_not_thrown()
    {
        var client = PanopticonClient.Create(o => o.ApiKey = "k", new ScriptedTransport((_, _) => Task.FromResult(new TransportResponse(202))), _time);
        await client.DisposeAsync();

        Assert.False(client.TryWriteLog(Records.Log()));
        Assert.Equal(1, client.Statistics.DroppedByReason["shutdown"]);
        Assert.Equal(0, client.BufferSize);
        Assert.True((await client.FlushAsync()).Completed);
    }

    private async Task<string> NextDropReportAsync(PanopticonClient client, List<string> sent)
    {
        client.TryWriteLog(Records.Log("after"));
        await client.FlushAsync();
        lock (sent)
        {
            return Assert.Single(sent, m => m.StartsWith("Panopticon SDK", StringComparison.Ordinal));
        }
    }
}
