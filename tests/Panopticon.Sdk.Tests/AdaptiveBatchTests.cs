using System.Text.Json;
using Panopticon.Sdk.Pipeline;
using Panopticon.Sdk.Tests.Support;
using Panopticon.Sdk.Transport;
using Xunit.Abstractions;

namespace Panopticon.Sdk.Tests;

/// <summary>
/// While requests are in flight, records collect and the next request carries all of them (up to a cap), so a busy
/// service against a slow Producer pays for few requests; BatchSize only decides when to send early.
/// </summary>
public sealed class AdaptiveBatchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task At_a_high_rate_against_a_slow_Producer_requests_are_far_fewer_than_records_over_BatchSize_and_nothing_is_lost()
    {
        const int Records = 20_000;
        var messages = new List<string>();
        var transport = new ScriptedTransport(async (request, _) =>
        {
            await Task.Delay(20); // a Producer 20 ms away: requests are in flight while the application writes
            using var document = JsonDocument.Parse(request.Json);
            lock (messages)
            {
                messages.AddRange(document.RootElement.EnumerateArray().Select(r => r.GetProperty("message").GetString()!));
            }

            return new TransportResponse(202);
        });
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 100; o.MaxQueueSize = Records; }, transport, time: null);

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < Records / 4; i++)
            {
                client.TryWriteLog(Support.Records.Log($"{w}-{i}"));
            }
        }));
        await Task.WhenAll(writers);
        var result = await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"{Records} records in {transport.Calls} requests (largest {transport.Received.Max(r => r.Records)} records)");
        Assert.True(result.Completed);
        var statistics = client.Statistics;
        Assert.Equal((Records, 0L, 0L), (statistics.Sent, statistics.Failed, statistics.Dropped));
        Assert.Equal(Records, messages.Distinct().Count());
        Assert.Equal(Records, messages.Count);
        Assert.InRange(transport.Calls, Records / BatchLoop<object>.MaxRecords, Records / 100 / 4); // 200 at one request per BatchSize
    }

    [Fact]
    public async Task At_a_low_rate_a_batch_goes_when_it_holds_BatchSize_records()
    {
        var transport = new ScriptedTransport((_, _) => Task.FromResult(new TransportResponse(202)));
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 10; }, transport, time: null);

        for (var batch = 1; batch <= 3; batch++)
        {
            for (var i = 0; i < 10; i++)
            {
                client.TryWriteLog(Support.Records.Log($"{batch}-{i}"));
            }

            await Wait.UntilAsync(() => client.Statistics.Sent == batch * 10, what: $"batch {batch} to go without a flush");
        }

        Assert.Equal(3, transport.Calls);
        Assert.All(transport.Received, request => Assert.Equal(10, request.Records));
    }
}
