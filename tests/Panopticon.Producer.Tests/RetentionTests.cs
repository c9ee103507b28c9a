using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Tests;

public sealed class RetentionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ProducerFactory _factory;

    public RetentionTests()
    {
        _factory = new ProducerFactory(
            new()
            {
                ["Producer:Storage:Retention"] = "7.00:00:00",
                ["Producer:Storage:SweepInterval"] = "01:00:00",
            },
            _time);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_sweep_deletes_records_older_than_the_retention_and_keeps_newer_ones()
    {
        var client = _factory.CreateClient();
        var retention = _factory.Services.GetRequiredService<RetentionService>();
        await WaitUntilAsync(() => retention.CompletedSweeps >= 1); // the sweep at start must not race with ours
        var oldTrace = Wire.NewTraceId();
        var newTrace = Wire.NewTraceId();
        await PostTraceAsync(client, oldTrace, Start.AddDays(-8));
        await PostTraceAsync(client, newTrace, Start.AddDays(-6));

        var deleted = await retention.SweepAsync(CancellationToken.None);

        Assert.Equal(2, deleted); // one span and one log
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/traces/{oldTrace}")).StatusCode);
        var kept = await (await client.GetAsync($"/api/traces/{newTrace}")).JsonAsync();
        Assert.Single(kept["spans"]!.AsArray());
        Assert.Single(kept["logs"]!.AsArray());
    }

    [Fact]
    public async Task The_background_sweep_runs_as_time_passes()
    {
        var client = _factory.CreateClient();
        var retention = _factory.Services.GetRequiredService<RetentionService>();
        var traceId = Wire.NewTraceId();
        await WaitUntilAsync(() => retention.CompletedSweeps >= 1); // the sweep at start
        await PostTraceAsync(client, traceId, Start.AddDays(-6));

        // Two days later the records are eight days old; the next hourly tick removes them.
        _time.Advance(TimeSpan.FromDays(2));
        await WaitUntilAsync(() => retention.CompletedSweeps >= 2);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/traces/{traceId}")).StatusCode);
    }

    [Fact]
    public async Task Remembered_batch_ids_expire_with_the_retention()
    {
        var client = _factory.CreateClient();
        var batchId = Guid.NewGuid().ToString();
        var traceId = Wire.NewTraceId();
        using var first = await client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId(), start: Start)), batchId: batchId);

        _time.Advance(TimeSpan.FromDays(8));
        await _factory.Services.GetRequiredService<RetentionService>().SweepAsync(CancellationToken.None);
        using var again = await client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId(), start: _time.GetUtcNow())), batchId: batchId);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode); // accepted and stored again, not refused
        var ack = await again.JsonAsync();
        Assert.Null(ack["duplicate"]);
        Assert.Equal(1, ack["accepted"]!.GetValue<int>());
        using var stored = await client.GetAsync($"/api/traces/{traceId}");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode); // the second span was stored
        Assert.Single((await stored.JsonAsync())["spans"]!.AsArray()); // and only it: the first was swept
    }

    private static async Task PostTraceAsync(HttpClient client, string traceId, DateTimeOffset time)
    {
        var spanId = Wire.NewSpanId();
        using var spans = await client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, spanId, start: time)));
        using var logs = await client.PostAsync("/sdk/logs", Wire.Array(Wire.Log(traceId: traceId, spanId: spanId, time: time)));
        Assert.Equal(HttpStatusCode.Accepted, spans.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, logs.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
