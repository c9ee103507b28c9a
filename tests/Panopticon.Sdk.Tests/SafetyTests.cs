using System.Collections;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Testing;
using Panopticon.Sdk.Tests.Support;
using Panopticon.Sdk.Transport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Panopticon.Sdk.Tests;

public sealed class SafetyTests
{
    private const string ApiKey = "pk_live_9f8e7d6c5b4a";

    [Fact]
    public async Task A_transport_that_throws_never_reaches_the_caller_and_counts_as_failed()
    {
        // A bug below the HTTP client (not a network error) can only be injected through the internal transport seam.
        var transport = new ScriptedTransport((_, _) => throw new InvalidOperationException("boom"));
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.MaxRetryAttempts = 0; }, transport, time: null);

        client.CreateLogger("Tests.Category").LogInformation("hello");
        var result = await client.FlushAsync();

        Assert.Equal(1, client.Statistics.Accepted);
        Assert.Equal(1, result.Failed);
        Assert.Equal(0, client.BufferSize);
    }

    // The logger copies or formats the app's state on its own thread, so no ILogger call hands the engine a record
    // whose serialization throws: this isolation is the serializer's, specified on the internal record.
    [Fact]
    public async Task A_record_that_cannot_be_serialized_is_dropped_alone()
    {
        var sink = new InMemoryPanopticonSink();
        await using var client = sink.CreateClient();

        client.TryWriteLog(Records.Log("poisoned", attributes: new ThrowingList()));
        client.TryWriteLog(Records.Log("fine", attributes: [new("weird", new ThrowingToString()), new("ok", 1)]));
        var result = await client.FlushAsync();

        var log = Assert.Single(sink.Logs, l => l.GetProperty("labels").GetProperty("context").GetString() != "Panopticon.Sdk");
        Assert.Equal("fine", log.GetProperty("message").GetString());
        Assert.False(log.GetProperty("labels").TryGetProperty("weird", out _));
        Assert.Equal(1, log.GetProperty("labels").GetProperty("ok").GetInt32());
        Assert.Equal(1, client.Statistics.DroppedByReason["unserializable"]);
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task A_label_whose_value_throws_on_ToString_is_left_out_and_the_line_is_still_sent()
    {
        var sink = new InMemoryPanopticonSink();
        await using var app = await MonitoredApp.StartAsync(sink);
        var logger = app.Logger();

        using (logger.BeginScope(new Dictionary<string, object?> { ["weird"] = new ThrowingToString(), ["ok"] = 1 }))
        {
            logger.LogInformation("fine");
        }

        var result = await app.FlushAsync();

        var log = Assert.Single(sink.Logs);
        Assert.Equal("fine", log.GetProperty("message").GetString());
        Assert.False(log.GetProperty("labels").TryGetProperty("weird", out _));
        Assert.Equal(1, log.GetProperty("labels").GetProperty("ok").GetInt32());
        Assert.Equal(1, result.Sent);
        Assert.Equal(0, app.Client.Statistics.Dropped);
    }

    [Fact]
    public async Task A_line_whose_formatter_throws_is_counted_as_dropped_and_the_next_line_is_sent()
    {
        var sink = new InMemoryPanopticonSink();
        await using var app = await MonitoredApp.StartAsync(sink);
        var logger = app.Logger();

        logger.Log<object?>(LogLevel.Information, default, null, null, (_, _) => throw new FormatException("the app's formatter"));
        logger.LogInformation("fine");
        await app.FlushAsync();

        // The app's line, and the SDK's own report of the line it lost (never silent).
        Assert.Equal(["Panopticon SDK dropped 1 logs and 0 spans since its last report (unserializable: 1).", "fine"], sink.Logs.Select(l => l.GetProperty("message").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(1, app.Client.Statistics.DroppedByReason["unserializable"]);
        Assert.Equal(app.Client.Statistics.Accepted, app.Client.Statistics.Sent + app.Client.Statistics.Dropped);
        Assert.Equal(0, app.Client.BufferSize);
    }

    [Fact]
    public async Task The_api_key_never_appears_in_diagnostics()
    {
        using var producer = new FakeProducer(acceptAll: false);
        producer.Server.Given(Request.Create().UsingPost().WithPath(FakeProducer.LogsPath)).RespondWith(Response.Create().WithStatusCode(401).WithBody("bad key"));
        producer.Server.Given(Request.Create().UsingPost().WithPath(FakeProducer.TracesPath)).RespondWith(Response.Create().WithStatusCode(503));
        using var listener = new CapturingListener();
        var app = await MonitoredApp.StartAsync(producer.Url, o => { o.ApiKey = ApiKey; o.MaxRetryAttempts = 1; o.MaxQueueSize = 100; o.ShutdownTimeout = TimeSpan.FromSeconds(1); });
        var client = app.Client;
        var logger = app.Logger();

        logger.LogInformation("hello");
        app.EndSpan();
        await Wait.UntilAsync(() => client.Statistics.Failed == 1 && client.Statistics.Retried >= 1, what: "the 401 and the held 503");
        for (var i = 0; i < 250; i++)
        {
            logger.LogInformation("hello"); // overflow, for the drop events
        }

        await app.DisposeAsync();

        Assert.Contains(listener.Events, e => e.EventName == "BatchRejected" && e.Payload!.Contains(401));
        Assert.Contains(listener.Events, e => e.EventName == "BatchRetried");
        Assert.True(client.Statistics.DroppedByReason["queue_full"] > 0, "the overflow must have produced drop events");
        Assert.All(listener.Events, e => Assert.DoesNotContain(ApiKey, e.Text));
        Assert.DoesNotContain(ApiKey, client.Statistics.ToString());
    }

    [Fact]
    public async Task The_meter_publishes_the_same_counters_as_Statistics()
    {
        var sink = new InMemoryPanopticonSink();
        await using var app = await MonitoredApp.StartAsync(sink);
        var client = app.Services.GetRequiredService<PanopticonClient>();
        var measured = new Dictionary<string, long>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == client.Meter) // this client's own Meter: other tests' clients publish under the same name
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (measured)
            {
                measured[instrument.Name] = measured.GetValueOrDefault(instrument.Name) + value;
            }
        });
        meterListener.Start();

        app.Logger().LogInformation("hello");
        app.EndSpan();
        await app.FlushAsync();
        meterListener.RecordObservableInstruments();

        Assert.Equal(client.Statistics.Accepted, measured["panopticon.records.accepted"]);
        Assert.Equal(2, measured["panopticon.records.sent"]);
        Assert.Equal(client.Statistics.Batches, measured["panopticon.export.batches"]);
        Assert.Equal(0, measured["panopticon.buffer.size"]);
    }

    [Fact]
    public void PanopticonTrace_reads_the_current_activity()
    {
        Assert.Null(PanopticonTrace.CurrentTraceId);
        Assert.Null(PanopticonTrace.CurrentSpanId);
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        Assert.Equal(activity.TraceId.ToHexString(), PanopticonTrace.CurrentTraceId);
        Assert.Matches("^[0-9a-f]{32}$", PanopticonTrace.CurrentTraceId);
        Assert.Equal(activity.SpanId.ToHexString(), PanopticonTrace.CurrentSpanId);
        Assert.Matches("^[0-9a-f]{16}$", PanopticonTrace.CurrentSpanId);
    }

    [Fact]
    public async Task The_sdk_export_call_creates_no_activity_and_sends_no_traceparent()
    {
        using var producer = new FakeProducer();
        var seen = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = a => { lock (seen) { seen.Add(a.Source.Name + ":" + a.OperationName); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await MonitoredApp.StartAsync(producer.Url);
        using var ambient = new Activity("caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        app.Logger().LogInformation("hello");
        await app.FlushAsync();

        Assert.DoesNotContain(seen, name => name.StartsWith("System.Net.Http", StringComparison.Ordinal));
        Assert.False(Assert.Single(producer.Requests()).Headers!.ContainsKey("traceparent"));
    }

    private sealed class ThrowingList : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => throw new InvalidOperationException("state is broken");

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => throw new InvalidOperationException("state is broken");

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("no");
    }

    private sealed class CapturingListener : EventListener
    {
        private readonly List<(string? EventName, IReadOnlyList<object?>? Payload, string Text)> _events = [];

        /// <summary>A copy of the events so far: events keep arriving from the SDK's threads while a test reads.</summary>
        public List<(string? EventName, IReadOnlyList<object?>? Payload, string Text)> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Panopticon-Sdk")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            var payload = eventData.Payload?.ToList();
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, eventData.Message ?? string.Empty, payload?.ToArray() ?? []) + string.Join("|", payload ?? []);
            lock (_events)
            {
                _events.Add((eventData.EventName, payload, text));
            }
        }
    }
}
