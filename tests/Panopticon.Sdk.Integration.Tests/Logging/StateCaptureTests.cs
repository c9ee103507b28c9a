using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Logging;

/// <summary>
/// The provider copies the framework's message template and values and formats them on the export thread only when
/// nothing in them can change after the call; these pin down both sides of that decision.
/// </summary>
public sealed class StateCaptureTests
{
    [Fact]
    public async Task A_mutable_argument_is_captured_as_it_was_at_the_call()
    {
        await using var harness = new LoggingHarness();
        var items = new List<int> { 1, 2 };

        harness.Logger("Orders").LogInformation("Items {Items} for {Customer}", items, "ann");
        items.Add(3); // after the call, before the export thread formats anything

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("Items 1, 2 for ann", log.Str("message"));
    }

    [Fact]
    public async Task Immutable_arguments_of_every_kind_format_as_the_framework_formats_them()
    {
        await using var harness = new LoggingHarness();
        var id = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        var at = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var offset = new DateTimeOffset(2024, 5, 6, 9, 8, 9, TimeSpan.FromHours(2));
        const string Format = "{Int} {Long} {Bool} {Double} {Guid} {At} {Offset} {Decimal} {Level} {Span} {Byte} {Null} {Text}";
        object?[] values = [7, 8L, true, 1.5, id, at, offset, 2.25m, LogLevel.Warning, TimeSpan.FromSeconds(90), (byte)3, null, "x"];

        harness.Logger("Kinds").LogInformation(Format, values);

        var log = Assert.Single(await harness.FlushLogsAsync());
        var expected = string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1} {2} {3} {4} {5} {6} {7} {8} {9} {10} {11} {12}",
            values.Select(v => v ?? "(null)").ToArray());
        Assert.Equal(expected, log.Str("message"));
        Assert.Equal(7, log.GetProperty("labels").GetProperty("Int").GetInt32());
        Assert.Equal("x", log.Label("Text"));
    }

    [Fact]
    public async Task A_queued_line_does_not_keep_a_boxed_numeric_argument_alive()
    {
        await using var harness = new LoggingHarness();
        var boxed = LogBoxedNumber(harness.Logger("Orders"));

        // The line waits in the queue; the boxed 42 the caller passed must already be collectable.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(boxed.IsAlive, "the queued log line still references the caller's boxed argument");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("Order 42 shipped", log.Str("message"));
        Assert.Equal(42, log.GetProperty("labels").GetProperty("OrderId").GetInt32());
    }

    [Fact]
    public async Task A_log_call_allocates_nothing_beyond_what_the_framework_itself_allocates_for_it()
    {
        using var bare = LoggerFactory.Create(_ => { });
        var bareLogger = bare.CreateLogger("Orders");
        AllocationsPerCall(bareLogger); // warm-up: the first calls fill the framework's caches
        var framework = Median(AllocationsPerCall(bareLogger)); // the params array and the boxed id

        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Orders");
        AllocationsPerCall(logger);
        await harness.FlushLogsAsync(); // the warm-up's records go back to the pool

        var ours = AllocationsPerCall(logger);

        // The median call: an odd one may grow the record pool (records come back from the export thread
        // asynchronously). The framework's message state is a struct; reading it must not box it.
        Assert.True(framework > 0);
        Assert.Equal(framework, Median(ours));
    }

    [Fact]
    public async Task The_first_line_of_a_request_allocates_nothing_beyond_the_framework_either_with_the_hosts_activity_tracking()
    {
        // A web host's default: the framework can add the activity's ids to scopes, building an activity scope and a
        // property dictionary on each activity the first time its scopes are read (the first line of every request).
        const ActivityTrackingOptions HostDefault = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId;
        using var bare = LoggerFactory.Create(b => b.Configure(o => o.ActivityTrackingOptions = HostDefault));
        var bareLogger = bare.CreateLogger("Orders");
        AllocationsPerCall(bareLogger, inNewActivity: true);
        var framework = Median(AllocationsPerCall(bareLogger, inNewActivity: true));

        await using var harness = new LoggingHarness(logging: b => b.Configure(o => o.ActivityTrackingOptions = HostDefault));
        var logger = harness.Logger("Orders");
        AllocationsPerCall(logger, inNewActivity: true);
        await harness.FlushLogsAsync();

        var ours = AllocationsPerCall(logger, inNewActivity: true);

        Assert.Equal(framework, Median(ours));
        var log = (await harness.FlushLogsAsync())[^1];
        Assert.Equal(32, log.Str("trace_id")!.Length);
    }

    private static long[] AllocationsPerCall(ILogger logger, bool inNewActivity = false)
    {
        var allocations = new long[15];
        for (var i = 0; i < allocations.Length; i++)
        {
            using var activity = inNewActivity ? new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start() : null;
            var before = GC.GetAllocatedBytesForCurrentThread();
            logger.LogInformation("Order {OrderId} shipped to {City}", i, "Berlin");
            allocations[i] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return allocations;
    }

    private static long Median(long[] values) => values.Order().ElementAt(values.Length / 2);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference LogBoxedNumber(ILogger logger)
    {
        object orderId = 42;
        logger.LogInformation("Order {OrderId} shipped", orderId);
        return new WeakReference(orderId);
    }
}
