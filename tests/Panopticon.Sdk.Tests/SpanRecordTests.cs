using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Panopticon.Sdk.Testing;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

/// <summary>Ended activities are copied into pooled span records when they end; the copy must lose nothing.</summary>
public sealed class SpanRecordTests
{
    private readonly InMemoryPanopticonSink _sink = new();

    [Fact]
    public async Task Tag_values_keep_their_json_types()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);

        app.EndSpan("work", tags: [("count", 7), ("total", 9_000_000_000L), ("ratio", 0.25), ("paid", true), ("city", "Berlin"), ("small", (short)3), ("negative", -12)]);
        await app.FlushAsync();

        var labels = Assert.Single(_sink.Spans).GetProperty("labels");
        Assert.Equal(7, labels.GetProperty("count").GetInt32());
        Assert.Equal(9_000_000_000L, labels.GetProperty("total").GetInt64());
        Assert.Equal(0.25, labels.GetProperty("ratio").GetDouble());
        Assert.Equal(JsonValueKind.True, labels.GetProperty("paid").ValueKind);
        Assert.Equal("Berlin", labels.GetProperty("city").GetString());
        Assert.Equal(3, labels.GetProperty("small").GetInt32());
        Assert.Equal(-12, labels.GetProperty("negative").GetInt32());
    }

    [Fact]
    public async Task A_status_code_too_large_for_an_int_is_not_cut_down_to_a_plausible_one()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);

        // 2^32 + 204: cut to 32 bits it would read as "204 No Content".
        app.EndSpan("GET", ActivityKind.Client, tags: [("http.response.status_code", 4_294_967_500L)]);
        await app.FlushAsync();

        Assert.False(Assert.Single(_sink.Spans).TryGetProperty("http_status_code", out _));
    }

    [Fact]
    public async Task A_status_code_held_as_a_long_or_a_string_still_maps_to_http_status_code()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);

        app.EndSpan("GET", ActivityKind.Client, tags: [("http.response.status_code", 404L)]);
        app.EndSpan("GET", ActivityKind.Client, tags: [("http.status_code", "502")]);
        await app.FlushAsync();

        var spans = _sink.Spans;
        Assert.Equal(2, spans.Count);
        Assert.Equal(404, spans[0].GetProperty("http_status_code").GetInt32());
        Assert.Equal(502, spans[1].GetProperty("http_status_code").GetInt32());
        Assert.All(spans, span => Assert.Equal("ERROR", span.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_queued_span_does_not_keep_its_activity_alive()
    {
        await using var app = await MonitoredApp.StartAsync(_sink, o => o.FlushInterval = TimeSpan.FromMinutes(5));
        var (activity, traceId, spanId, parentId) = EndSpans(app);

        // The span now waits for its batch (five minutes away); its activity must already be collectable.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(activity.IsAlive, "the queued span still references its Activity");

        await app.FlushAsync();
        var span = Assert.Single(_sink.Spans, s => s.GetProperty("name").GetString() == "child");
        Assert.Equal(traceId, span.GetProperty("trace_id").GetString());
        Assert.Equal(spanId, span.GetProperty("span_id").GetString());
        Assert.Equal(parentId, span.GetProperty("parent_span_id").GetString());
        Assert.Equal(42, span.GetProperty("labels").GetProperty("order_id").GetInt32());
    }

    [Fact]
    public async Task A_reused_record_carries_nothing_over_from_the_span_before()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);
        var remoteParent = Records.EndedSpan("upstream"); // a caller's span: not one of this app's, so not sent
        var failed = app.StartSpan("first", parent: remoteParent, tags: [("only.first", "x")])!;
        failed.SetStatus(ActivityStatusCode.Error, "boom");
        failed.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.type"] = "BoomException" }));

        MonitoredApp.End(failed);
        await app.FlushAsync();
        app.EndSpan("second");
        await app.FlushAsync();

        Assert.Equal(remoteParent.SpanId.ToHexString(), _sink.Spans[0].GetProperty("parent_span_id").GetString());
        var second = _sink.Spans[1];
        Assert.Equal("second", second.GetProperty("name").GetString());
        Assert.Equal("OK", second.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("parent_span_id").ValueKind);
        Assert.DoesNotContain("only_first", second.GetRawText());
        Assert.DoesNotContain("Boom", second.GetRawText());
    }

    // A unit of the serializer: the exotic durations (4 ticks, negative) cannot be set on an activity reliably.
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(4L, "0")]
    [InlineData(5L, "0.001")]
    [InlineData(425_000L, "42.5")]
    [InlineData(32_500L, "3.25")]
    [InlineData(10_010L, "1.001")]
    [InlineData(123_456_789L, "12345.679")]
    [InlineData(-10L, "0")]
    public void Durations_are_milliseconds_to_the_microsecond(long ticks, string expected)
    {
        Span<byte> digits = stackalloc byte[20];
        var length = Serialization.SpanSerializer.FormatMilliseconds(digits, TimeSpan.FromTicks(ticks));

        var json = $"{{\"d\":{System.Text.Encoding.UTF8.GetString(digits[..length])}}}";
        Assert.Equal($"{{\"d\":{expected}}}", json);
        Assert.Equal(double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), JsonDocument.Parse(json).RootElement.GetProperty("d").GetDouble());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Activity, string TraceId, string SpanId, string ParentId) EndSpans(MonitoredApp app)
    {
        var parent = app.EndSpan("parent");
        var activity = app.EndSpan("child", parent: parent, tags: [("order.id", 42)]);
        return (new WeakReference(activity), activity.TraceId.ToHexString(), activity.SpanId.ToHexString(), parent.SpanId.ToHexString());
    }
}
