using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Tests.Support;
using Panopticon.Sdk.Transport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit.Abstractions;

namespace Panopticon.Sdk.Tests;

public sealed class TransportTests(ITestOutputHelper output) : IDisposable
{
    private readonly FakeProducer _producer = new(acceptAll: false);
    private readonly FakeTimeProvider _time = new(Records.Noon);

    [Fact]
    public async Task Requests_carry_the_protocol_headers_and_a_gzip_body_of_the_same_json()
    {
        AcceptAll();
        using var plain = new FakeProducer();
        await using var gzipApp = await MonitoredApp.StartAsync(_producer.Url, time: _time);
        await using var plainApp = await MonitoredApp.StartAsync(plain.Url, o => o.Compression = PanopticonCompression.None, _time);

        gzipApp.Logger().LogInformation("same");
        plainApp.Logger().LogInformation("same");
        await gzipApp.FlushAsync();
        await plainApp.FlushAsync();

        var request = Assert.Single(_producer.Requests());
        Assert.Equal("test-key-123", FakeProducer.Header(request, "X-API-Key"));
        Assert.Equal("gzip", FakeProducer.Header(request, "Content-Encoding"));
        Assert.StartsWith("application/json", FakeProducer.Header(request, "Content-Type"));
        Assert.Matches(@"^panopticon-dotnet/\d+\.\d+\.\d+", FakeProducer.Header(request, "User-Agent"));
        Assert.True(Guid.TryParse(FakeProducer.Header(request, "X-Panopticon-Batch-Id"), out _));
        Assert.Equal(0x1f, FakeProducer.RawBody(request)[0]); // gzip magic: the body really is compressed
        var plainRequest = Assert.Single(plain.Requests());
        Assert.False(plainRequest.Headers!.ContainsKey("Content-Encoding"));
        Assert.Equal(Encoding.UTF8.GetString(FakeProducer.RawBody(plainRequest)), Encoding.UTF8.GetString(FakeProducer.JsonBody(request)));
    }

    [Fact]
    public async Task Consecutive_gzip_bodies_each_hold_exactly_their_own_records()
    {
        AcceptAll();
        await using var app = await MonitoredApp.StartAsync(_producer.Url, time: _time);
        var client = app.Client;
        var logger = app.Logger();
        var large = new string('x', 20_000);

        logger.LogInformation(large); // a large body first...
        await app.FlushAsync();
        logger.LogInformation("short"); // ...then a small one, compressed into the reused buffer
        await app.FlushAsync();

        var requests = _producer.Requests();
        Assert.Equal(2, requests.Count);
        Assert.Equal(large, Assert.Single(FakeProducer.RecordsOf(requests[0])).GetProperty("message").GetString());
        Assert.Equal("short", Assert.Single(FakeProducer.RecordsOf(requests[1])).GetProperty("message").GetString());
    }

    // A unit of the transport: which buffer a body is compressed into is not visible through the public API.
    [Fact]
    public void A_compressed_body_buffer_is_reused_empty_and_a_large_one_is_not_kept()
    {
        var buffers = new CompressedBodyBuffers();
        var first = buffers.Rent(64);
        first.Write(new byte[100]);
        buffers.Return(first);

        var second = buffers.Rent(64);
        Assert.Same(first, second);
        Assert.Equal(0, second.Length);

        second.Write(new byte[CompressedBodyBuffers.MaxKeptCapacity + 1]);
        buffers.Return(second);
        Assert.NotSame(second, buffers.Rent(64));
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_retried_once_after_the_advertised_delay_with_the_same_batch_id()
    {
        _producer.Server.Given(Request.Create().UsingPost()).InScenario("outage").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "7"));
        _producer.Server.Given(Request.Create().UsingPost()).InScenario("outage").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(202));
        await using var app = await MonitoredApp.StartAsync(_producer.Url, time: _time);
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("once");
        var flush = client.FlushAsync();
        await Wait.UntilAsync(() => client.Statistics.Retried == 1, what: "the 503 to be answered with a scheduled retry");
        _time.Advance(TimeSpan.FromSeconds(6.9));
        await Wait.StaysFalseAsync(() => _producer.Requests().Count > 1, "no retry before Retry-After has passed");

        // The retry timer may have been set just after the advance above, so walk the clock on in small steps.
        await _time.AdvanceUntilAsync(TimeSpan.FromSeconds(0.1), () => flush.IsCompleted, "the retry after Retry-After");
        var result = await flush;

        Assert.True(result.Succeeded);
        var requests = _producer.Requests();
        Assert.Equal(2, requests.Count);
        Assert.Equal(FakeProducer.Header(requests[0], "X-Panopticon-Batch-Id"), FakeProducer.Header(requests[1], "X-Panopticon-Batch-Id"));
        Assert.Equal(1, client.Statistics.Retried);
        Assert.Equal(1, client.Statistics.Sent);
    }

    [Fact]
    public async Task Different_batches_get_different_batch_ids()
    {
        AcceptAll();
        await using var app = await MonitoredApp.StartAsync(_producer.Url, o => o.BatchSize = 1, _time);
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("a");
        logger.LogInformation("b");
        await app.FlushAsync();

        var ids = _producer.Requests().Select(r => FakeProducer.Header(r, "X-Panopticon-Batch-Id")).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Client_errors_are_not_retried_and_count_as_failed(int status)
    {
        _producer.Server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(status));
        await using var app = await MonitoredApp.StartAsync(_producer.Url, time: _time);
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("hello");
        logger.LogInformation("hello");
        var result = await app.FlushAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Failed);
        Assert.Single(_producer.Requests());
        Assert.Equal(0, client.Statistics.Retried);
        Assert.Equal(0, client.BufferSize);
        Assert.Equal(status == 400 ? PanopticonFailureKind.PayloadRejected : PanopticonFailureKind.ApiKeyRejected, client.Statistics.LastFailureKind);
        Assert.Equal(Records.Noon, client.Statistics.LastFailureAt);
        Assert.Null(client.Statistics.LastSuccessAt);
    }

    [Fact]
    public async Task Statistics_show_the_time_of_the_last_accepted_batch_and_no_failure()
    {
        AcceptAll();
        await using var app = await MonitoredApp.StartAsync(_producer.Url, time: _time);
        var client = app.Client;
        var logger = app.Logger();
        Assert.Null(client.Statistics.LastSuccessAt);

        logger.LogInformation("hello");
        _time.Advance(TimeSpan.FromMinutes(3));
        await app.FlushAsync();

        Assert.Equal(Records.Noon + TimeSpan.FromMinutes(3), client.Statistics.LastSuccessAt);
        Assert.Null(client.Statistics.LastFailureAt);
        Assert.Null(client.Statistics.LastFailureKind);
    }

    [Fact]
    public async Task A_413_halves_the_batch_until_each_part_is_accepted()
    {
        // Accepts at most 3 records per request, like a Producer with a small body limit.
        _producer.Server.Given(Request.Create().UsingPost().WithBody((string? body) => body?.Split("\"type\"").Length - 1 > 3))
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(413));
        _producer.Server.Given(Request.Create().UsingPost()).AtPriority(2).RespondWith(Response.Create().WithStatusCode(202));
        await using var app = await MonitoredApp.StartAsync(_producer.Url, o => o.Compression = PanopticonCompression.None, _time);
        var client = app.Client;
        var logger = app.Logger();

        for (var i = 0; i < 10; i++)
        {
            logger.LogInformation("{Index}", i);
        }

        var result = await app.FlushAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(10, result.Sent);
        var accepted = _producer.Server.LogEntries.Where(e => e.ResponseMessage.StatusCode is 202).Select(e => FakeProducer.RecordsOf(e.RequestMessage)).ToList();
        Assert.All(accepted, records => Assert.InRange(records.Count, 1, 3));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}"), accepted.SelectMany(r => r).Select(r => r.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task After_one_413_later_batches_are_cut_under_the_accepted_size_and_never_refused()
    {
        var (refusalsPerBatch, bytesUploaded) = await SendBatchesAgainstABodyLimitAsync(batches: 10, bodyLimit: 20 * 1024);

        output.WriteLine($"10 batches of 100 records against a 20 KB limit: {refusalsPerBatch.Sum()} refusals ({string.Join(",", refusalsPerBatch)} per batch), {bytesUploaded} bytes uploaded");
        Assert.InRange(refusalsPerBatch[0], 1, 7);
        Assert.All(refusalsPerBatch.Skip(1), refusals => Assert.Equal(0, refusals));
    }

    [Fact]
    public async Task A_learned_body_limit_relaxes_after_a_quiet_minute_until_whole_batches_fit_again()
    {
        RefuseBodiesAbove(20 * 1024);
        await using var app = await MonitoredApp.StartAsync(_producer.Url, o => o.Compression = PanopticonCompression.None, _time);
        await SendBatchAsync(app, "learn");
        Assert.Contains(_producer.Server.LogEntries, e => e.ResponseMessage.StatusCode is 413);
        _producer.Server.Reset();
        AcceptAll(); // the Producer's limit was raised
        _time.Advance(TimeSpan.FromMinutes(1));
        for (var batch = 0; batch < 40 && !WholeBatchInOneRequest(); batch++)
        {
            _producer.Server.ResetLogEntries();
            await SendBatchAsync(app, $"{batch}");
        }

        Assert.True(WholeBatchInOneRequest(), "after the hold, growing by an eighth per accepted body reaches a 100-record body");

        bool WholeBatchInOneRequest() => _producer.Requests().Any(r => FakeProducer.RecordsOf(r).Count == 100);
    }

    private async Task<(List<int> RefusalsPerBatch, long BytesUploaded)> SendBatchesAgainstABodyLimitAsync(int batches, int bodyLimit)
    {
        RefuseBodiesAbove(bodyLimit);
        await using var app = await MonitoredApp.StartAsync(_producer.Url, o => o.Compression = PanopticonCompression.None, _time);
        var refusalsPerBatch = new List<int>();
        for (var batch = 0; batch < batches; batch++)
        {
            var before = Refusals();
            await SendBatchAsync(app, $"{batch}");
            refusalsPerBatch.Add(Refusals() - before);
        }

        Assert.Equal(batches * 100, app.Client.Statistics.Sent);
        var accepted = _producer.Server.LogEntries.Where(e => e.ResponseMessage.StatusCode is 202).Select(e => e.RequestMessage).ToList();
        Assert.All(accepted, request => Assert.InRange(FakeProducer.RawBody(request).Length, 1, bodyLimit));
        Assert.Equal(batches * 100, accepted.SelectMany(FakeProducer.RecordsOf).Select(r => r.GetProperty("message").GetString()).Distinct().Count());
        return (refusalsPerBatch, _producer.Requests().Sum(r => (long)FakeProducer.RawBody(r).Length));

        int Refusals() => _producer.Server.LogEntries.Count(e => e.ResponseMessage.StatusCode is 413);
    }

    // About 920 bytes per record, so a batch of 100 is about 92 KB of JSON.
    private static async Task SendBatchAsync(MonitoredApp app, string batch)
    {
        var padding = new string('x', 750);
        var logger = app.Logger();
        for (var i = 0; i < 100; i++)
        {
            logger.LogInformation($"{batch}-{i} {padding}"); // no template holes: the record is its message only
        }

        var result = await app.FlushAsync();
        Assert.True(result.Succeeded, result.ToString());
    }

    private void RefuseBodiesAbove(int bytes)
    {
        _producer.Server.Given(Request.Create().UsingPost().WithBody((string? body) => Encoding.UTF8.GetByteCount(body ?? "") > bytes))
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(413));
        _producer.Server.Given(Request.Create().UsingPost()).AtPriority(2).RespondWith(Response.Create().WithStatusCode(202));
    }

    [Fact]
    public async Task Connection_refused_then_recovery_delivers_every_record_once()
    {
        var port = FreePort();
        await using var app = await MonitoredApp.StartAsync($"http://127.0.0.1:{port}", o => o.MaxRetryAttempts = 20, _time);
        var client = app.Client;
        var logger = app.Logger();

        for (var i = 0; i < 5; i++)
        {
            logger.LogInformation("{Index}", i);
        }

        var flush = client.FlushAsync();
        await _time.AdvanceUntilAsync(TimeSpan.FromSeconds(1), () => client.Statistics.Retried >= 2, "two failed attempts while the endpoint is down");
        using var producer = new FakeProducer(port: port);
        await _time.AdvanceUntilAsync(TimeSpan.FromSeconds(1), () => flush.IsCompleted, "the held records to be delivered once the Producer listens", TimeSpan.FromSeconds(30));

        var result = await flush;
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{i}"), producer.Records(FakeProducer.LogsPath).Select(r => r.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_batch_that_keeps_getting_503_while_other_batches_are_accepted_is_given_up_after_MaxRetryAttempts()
    {
        _producer.Server.Given(Request.Create().UsingPost().WithBody((string? body) => body?.Contains("doomed", StringComparison.Ordinal) == true))
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(503));
        _producer.Server.Given(Request.Create().UsingPost()).AtPriority(2).RespondWith(Response.Create().WithStatusCode(202));
        await using var app = await MonitoredApp.StartAsync(_producer.Url, o => { o.MaxRetryAttempts = 3; o.BatchSize = 1; o.Compression = PanopticonCompression.None; }, _time);
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("doomed");

        // Other batches keep being accepted meanwhile, so the doomed batch's failures are its own, and counted.
        var fine = 0;
        await Wait.UntilAsync(
            () =>
            {
                logger.LogInformation("fine {Index}", fine++);
                _time.Advance(TimeSpan.FromSeconds(1));
                return client.Statistics.Failed == 1;
            },
            TimeSpan.FromSeconds(30),
            "the doomed batch to be given up");
        var result = await client.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.True(result.Completed);
        Assert.Equal(1, client.Statistics.Failed);
        Assert.Equal(fine, client.Statistics.Sent);
        Assert.InRange(_producer.Requests().Count(r => Encoding.UTF8.GetString(FakeProducer.RawBody(r)).Contains("doomed", StringComparison.Ordinal)), 4, 6);
        Assert.DoesNotContain(_producer.Server.LogEntries, e => e.ResponseMessage.StatusCode is 202 && Encoding.UTF8.GetString(FakeProducer.RawBody(e.RequestMessage)).Contains("doomed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_is_cut_at_ExportTimeout_and_the_batch_is_held_not_given_up()
    {
        using var silent = new SilentProducer();
        await using var app = await MonitoredApp.StartAsync(silent.Url, o => { o.MaxRetryAttempts = 0; o.ExportTimeout = TimeSpan.FromSeconds(3); }, _time);
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("hello");
        var flush = client.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        await Wait.UntilAsync(() => silent.Connections > 0, what: "the request's connection");
        _time.Advance(TimeSpan.FromSeconds(2.9));
        await Wait.StaysFalseAsync(() => client.Statistics.LastFailureAt is not null, "the attempt must wait until ExportTimeout");
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await Wait.UntilAsync(() => client.Statistics.LastFailureKind == PanopticonFailureKind.ProducerFailing, what: "the attempt to time out");
        var result = await flush;

        Assert.False(result.Completed);
        Assert.Equal(0, result.Failed + result.Dropped);
        Assert.Equal(1, client.BufferSize);
    }

    public void Dispose() => _producer.Dispose();

    private void AcceptAll() => _producer.Server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(202));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
