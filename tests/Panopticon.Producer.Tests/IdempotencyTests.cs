using System.Net;

namespace Panopticon.Producer.Tests;

public sealed class IdempotencyTests(ProducerFactory factory) : IClassFixture<ProducerFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_repeated_batch_id_is_acknowledged_without_storing_twice()
    {
        var traceId = Wire.NewTraceId();
        var batch = Wire.Array(Wire.Span(traceId, Wire.NewSpanId()), Wire.Span(traceId, Wire.NewSpanId()));
        var batchId = Guid.NewGuid().ToString();

        using var first = await _client.PostAsync("/sdk/traces", batch, batchId: batchId);
        using var retry = await _client.PostAsync("/sdk/traces", batch, batchId: batchId, gzip: true);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var ack = await retry.JsonAsync();
        Assert.True(ack["success"]!.GetValue<bool>());
        Assert.True(ack["duplicate"]!.GetValue<bool>());
        Assert.Equal(2, ack["accepted"]!.GetValue<int>());
        Assert.Equal(2, await SpanCountAsync(traceId));
    }

    [Fact]
    public async Task Without_a_batch_id_every_request_is_stored()
    {
        var traceId = Wire.NewTraceId();
        var batch = Wire.Array(Wire.Log(traceId: traceId));

        using var first = await _client.PostAsync("/sdk/logs", batch);
        using var second = await _client.PostAsync("/sdk/logs", batch);

        var logs = await (await _client.GetAsync($"/api/logs?traceId={traceId}")).JsonAsync();
        Assert.Equal(2, logs["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Batch_ids_are_scoped_per_signal()
    {
        var traceId = Wire.NewTraceId();
        var batchId = Guid.NewGuid().ToString();

        using var spans = await _client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId())), batchId: batchId);
        using var logs = await _client.PostAsync("/sdk/logs", Wire.Array(Wire.Log(traceId: traceId)), batchId: batchId);

        Assert.Null((await logs.JsonAsync())["duplicate"]);
        var trace = await (await _client.GetAsync($"/api/traces/{traceId}")).JsonAsync();
        Assert.Single(trace["spans"]!.AsArray());
        Assert.Single(trace["logs"]!.AsArray());
    }

    [Fact]
    public async Task Concurrent_retries_of_one_batch_store_it_once()
    {
        var traceId = Wire.NewTraceId();
        var batch = Wire.Array(Wire.Span(traceId, Wire.NewSpanId()));
        var batchId = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.PostAsync("/sdk/traces", batch, batchId: batchId)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(1, await SpanCountAsync(traceId));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_rejected_batch_does_not_burn_its_id()
    {
        var traceId = Wire.NewTraceId();
        var batchId = Guid.NewGuid().ToString();

        using var invalid = await _client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId(), kind: "WRONG")), batchId: batchId);
        using var fixedBatch = await _client.PostAsync("/sdk/traces", Wire.Array(Wire.Span(traceId, Wire.NewSpanId())), batchId: batchId);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, fixedBatch.StatusCode);
        Assert.Equal(1, await SpanCountAsync(traceId));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("ünïcode")]
    public async Task An_unusable_batch_id_is_400(string batchId)
    {
        var request = Wire.Request("/sdk/logs", "[]");
        request.Headers.TryAddWithoutValidation("X-Panopticon-Batch-Id", batchId);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_overlong_batch_id_is_400()
    {
        using var response = await _client.SendAsync(Wire.Request("/sdk/logs", "[]", batchId: new string('a', 129)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<int> SpanCountAsync(string traceId)
    {
        using var response = await _client.GetAsync($"/api/traces/{traceId}");
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.JsonAsync())["spans"]!.AsArray().Count;
    }
}
