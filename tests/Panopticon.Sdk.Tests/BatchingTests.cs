using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

public sealed class BatchingTests : IDisposable
{
    private readonly FakeProducer _producer = new();
    private readonly FakeTimeProvider _time = new(Records.Noon);

    [Fact]
    public async Task Full_batches_go_at_once_and_the_rest_waits_for_the_flush_interval()
    {
        await using var client = Records.Client(_producer.Url, _time);

        for (var i = 0; i < 250; i++)
        {
            client.TryWriteLog(Records.Log($"log {i}"));
        }

        await _producer.WaitForRequestsAsync(2, FakeProducer.LogsPath);
        await Wait.StaysFalseAsync(() => _producer.Requests().Count > 2, "the partial batch must wait for FlushInterval");
        Assert.All(_producer.Requests(FakeProducer.LogsPath), r => Assert.Equal(100, FakeProducer.RecordsOf(r).Count));

        _time.Advance(TimeSpan.FromSeconds(5));

        await _producer.WaitForRequestsAsync(3, FakeProducer.LogsPath);
        var batches = _producer.Requests(FakeProducer.LogsPath).Select(r => FakeProducer.RecordsOf(r).Select(record => record.GetProperty("message").GetString()).ToList()).ToList();
        Assert.Equal(50, batches[2].Count); // the partial batch went last
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"log {i}"), batches.OrderBy(b => int.Parse(b[0]![4..])).SelectMany(b => b)); // the two full ones may arrive in either order
    }

    [Fact]
    public async Task Logs_and_spans_go_to_their_own_paths()
    {
        await using var client = Records.Client(_producer.Url, _time);

        client.TryWriteLog(Records.Log());
        client.TryWriteSpan(Records.EndedSpan());
        var result = await client.FlushAsync();

        Assert.True(result.Succeeded);
        Assert.Equal("log", Assert.Single(_producer.Records(FakeProducer.LogsPath)).GetProperty("type").GetString());
        Assert.Equal("span", Assert.Single(_producer.Records(FakeProducer.TracesPath)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task LogEndpoint_and_TraceEndpoint_override_the_paths()
    {
        await using var client = Records.Client(_producer.Url, _time, o =>
        {
            o.LogEndpoint = _producer.Url + "/custom/logs";
            o.TraceEndpoint = _producer.Url + "/custom/spans";
        });

        client.TryWriteLog(Records.Log());
        client.TryWriteSpan(Records.EndedSpan());
        await client.FlushAsync();

        Assert.Single(_producer.Requests("/custom/logs"));
        Assert.Single(_producer.Requests("/custom/spans"));
        Assert.Empty(_producer.Requests(FakeProducer.LogsPath));
    }

    [Fact]
    public async Task Records_are_cut_into_batches_in_order_and_each_arrives_once()
    {
        await using var client = Records.Client(_producer.Url, _time, o => o.BatchSize = 7);

        for (var i = 0; i < 100; i++)
        {
            client.TryWriteLog(Records.Log($"{i}"));
        }

        var result = await client.FlushAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(100, client.Statistics.Sent); // the flush result leaves out batches acknowledged before it started
        var batches = _producer.Requests(FakeProducer.LogsPath)
            .Select(r => FakeProducer.RecordsOf(r).Select(record => int.Parse(record.GetProperty("message").GetString()!)).ToList())
            .OrderBy(batch => batch[0])
            .ToList();

        // Two batches may be on their way at once, so requests can arrive in either order; each holds a run of the
        // queue, of BatchSize records while the Producer keeps up, more while both senders are busy.
        Assert.InRange(batches.Count, 2, 15);
        Assert.True(batches.Take(2).All(batch => batch.Count == 7), "the first two batches go as soon as they are full");
        Assert.All(batches, batch => Assert.Equal(Enumerable.Range(batch[0], batch.Count), batch));
        Assert.Equal(Enumerable.Range(0, 100), batches.SelectMany(batch => batch));
    }

    public void Dispose() => _producer.Dispose();
}
