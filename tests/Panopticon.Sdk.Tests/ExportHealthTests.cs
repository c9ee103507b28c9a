using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Panopticon.Sdk.Tests;

/// <summary>Export problems reach the application's own log: first time at once, then at most once a minute.</summary>
public sealed class ExportHealthTests : IDisposable
{
    private const string Key = "pk_live_9f8e7d6c5b4a";
    private readonly FakeProducer _producer = new(acceptAll: false);
    private readonly FakeTimeProvider _time = new(Records.Noon);
    private readonly CapturedLog _log = new();

    [Fact]
    public async Task A_rejected_key_is_reported_once_then_once_a_minute_with_the_count_and_recovery_once_as_info()
    {
        _producer.Server.Given(Request.Create().UsingPost()).InScenario("key").WillSetStateTo("fixed")
            .RespondWith(Response.Create().WithStatusCode(401));
        await using var app = await NewApp(_producer.Url);
        var client = app.Client;
        var logger = app.Logger();
        var host = new Uri(_producer.Url).Authority;

        logger.LogInformation("first");
        await app.FlushAsync();

        var warning = Assert.Single(_log.Warnings);
        Assert.Equal($"Panopticon: the Producer rejected the API key (HTTP 401 from {host}); 1 record not sent. Check Panopticon:ApiKey or PANOPTICON_API_KEY.", warning);
        Assert.Equal(ExportHealthCategory, Assert.Single(_log.Lines).Category);

        _producer.Server.Reset();
        _producer.Server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(401));
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            logger.LogInformation("again");
            logger.LogInformation("again");
            await app.FlushAsync();
        }

        Assert.Single(_log.Warnings); // 30 s later: nothing more yet

        _time.Advance(TimeSpan.FromSeconds(30)); // a minute after the first line, the timer writes what was counted
        await Wait.UntilAsync(() => _log.Warnings.Count == 2, what: "the once-a-minute repeat");
        Assert.Equal($"Panopticon: the Producer rejected the API key (HTTP 401 from {host}); 6 records not sent since the last report. Check Panopticon:ApiKey or PANOPTICON_API_KEY.", _log.Warnings[1]);

        _producer.Server.Reset();
        _producer.Server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(202));
        logger.LogInformation("fixed");
        logger.LogInformation("fixed");
        await app.FlushAsync();
        logger.LogInformation("more");
        await app.FlushAsync();

        Assert.Equal($"Panopticon: the Producer at {host} accepts batches again after 60 s; held records are being sent.", Assert.Single(_log.Infos));
        Assert.Equal(2, _log.Warnings.Count);
        Assert.DoesNotContain(_log.Lines, l => l.Message.Contains(Key, StringComparison.Ordinal) || l.Message.Contains(Key[..8], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_closed_port_is_reported_once_as_unreachable_with_the_records_held_and_recovery_as_info()
    {
        var port = FreePort();
        await using var app = await NewApp($"http://127.0.0.1:{port}");
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("held");
        _ = client.FlushAsync(); // held until the Producer answers
        await Wait.UntilAsync(() => _log.Warnings.Count == 1, what: "the first WARN");

        Assert.StartsWith($"Panopticon: the Producer at 127.0.0.1:{port} is unreachable (HttpRequestException: Connection refused", _log.Warnings[0]);
        Assert.EndsWith("; 1 record held in memory until it answers (beyond MaxQueueSize, 10000 per signal, the oldest are dropped).", _log.Warnings[0]);

        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1)); // probes fail meanwhile; no second line within the minute
            await Task.Delay(5);
        }

        Assert.Single(_log.Warnings);

        using var producer = new FakeProducer(port: port);
        var flush = client.FlushAsync();
        await _time.AdvanceUntilAsync(TimeSpan.FromSeconds(1), () => flush.IsCompleted, "the held record to be delivered once the Producer listens", TimeSpan.FromSeconds(30));

        Assert.True((await flush).Succeeded);
        Assert.StartsWith($"Panopticon: the Producer at 127.0.0.1:{port} accepts batches again after ", Assert.Single(_log.Infos));
        Assert.Single(_log.Warnings);
    }

    [Fact]
    public async Task A_refused_payload_is_reported_with_the_Producers_reason_on_one_line_cut_to_200_characters()
    {
        var reason = "record 3: field 'level' must be one of DEBUG, INFO, WARN, ERROR. " + new string('x', 400);
        _producer.Server.Given(Request.Create().UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json").WithBodyAsJson(new { statusCode = 400, message = reason, error = "Bad Request" }));
        await using var app = await NewApp(_producer.Url);
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("hello");
        logger.LogInformation("hello");
        await app.FlushAsync();

        var host = new Uri(_producer.Url).Authority;
        Assert.Equal($"Panopticon: the Producer refused a payload (HTTP 400 from {host}: \"{reason[..199]}…\"); 2 records not sent.", Assert.Single(_log.Warnings));
    }

    [Fact]
    public async Task Records_dropped_from_a_full_queue_are_reported_within_a_second()
    {
        using var silent = new SilentProducer();
        await using var app = await NewApp(silent.Url, o => { o.BatchSize = 5; o.MaxQueueSize = 10; });
        var client = app.Client;
        var logger = app.Logger();

        for (var i = 0; i < 50; i++)
        {
            logger.LogInformation("{Index}", i);
        }

        // 50 written, 10 fit in the queue and up to 10 more in the two export lanes' batches.
        var dropped = client.Statistics.DroppedByReason["queue_full"];
        Assert.InRange(dropped, 30, 40);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(() => _log.Warnings.Count == 1, what: "the drop WARN");

        Assert.Equal($"Panopticon: {dropped} records dropped because the queue was full (MaxQueueSize 10 per signal): the Producer is unreachable or slower than the application writes.", _log.Warnings[0]);
    }

    [Fact]
    public async Task Shutdown_that_runs_out_of_time_reports_what_it_dropped_in_one_line()
    {
        using var silent = new SilentProducer();
        var app = await NewApp(silent.Url, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
        var client = app.Client;
        var logger = app.Logger();
        for (var i = 0; i < 3; i++)
        {
            logger.LogInformation("{Index}", i);
        }

        await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, client.Statistics.DroppedByReason["shutdown"]);
        Assert.Equal("Panopticon: shutdown used its whole ShutdownTimeout (0.3 s); 3 records (3 logs, 0 spans) could not be sent and were dropped.", Assert.Single(_log.Warnings));
    }

    public void Dispose() => _producer.Dispose();

    private const string ExportHealthCategory = "Panopticon.Sdk.Export";

    private Task<MonitoredApp> NewApp(string endpoint, Action<PanopticonOptions>? configure = null) =>
        MonitoredApp.StartAsync(endpoint, o => { o.ApiKey = Key; configure?.Invoke(o); }, _time, _log);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
