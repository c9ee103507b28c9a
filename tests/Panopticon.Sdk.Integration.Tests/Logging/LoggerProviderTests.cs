using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Logging;

public sealed class LoggerProviderTests
{
    [Fact]
    public async Task Writes_level_formatted_message_category_and_structured_values()
    {
        await using var harness = new LoggingHarness();

        harness.Logger("Orders.Api").LogInformation("Order {OrderId} for {Customer}", 42, "ann");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("log", log.Str("type"));
        Assert.Equal("INFO", log.Str("level"));
        Assert.Equal("Order 42 for ann", log.Str("message"));
        Assert.Equal("logging-tests", log.Str("service_name"));
        Assert.Equal("Orders.Api", log.Label("context"));
        Assert.Equal(42, log.GetProperty("labels").GetProperty("OrderId").GetInt32());
        Assert.Equal("ann", log.Label("Customer"));
        Assert.False(log.HasLabel("{OriginalFormat}"));
        Assert.False(log.TryGetProperty("trace_id", out _));
    }

    [Fact]
    public async Task The_template_key_never_becomes_a_label_from_a_scope_or_a_state_formatted_at_log_time()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Orders.Api");

        using (logger.BeginScope("Order {OrderId}", 42))
        {
            // A mutable argument keeps the state from being deferred: its values are copied at log time.
            logger.LogInformation("Cart {Cart}", new List<int> { 1 });
        }

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal(42, log.GetProperty("labels").GetProperty("OrderId").GetInt32());
        Assert.True(log.HasLabel("Cart"));
        Assert.False(log.HasLabel("{OriginalFormat}"));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "DEBUG")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    [InlineData(LogLevel.Information, "INFO")]
    [InlineData(LogLevel.Warning, "WARN")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "ERROR")]
    public async Task Maps_every_level_to_a_producer_level(LogLevel level, string expected)
    {
        await using var harness = new LoggingHarness(o => o.MinimumLogLevel = LogLevel.Trace);

        harness.Logger("Levels").Log(level, "at {Level}", level);

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal(expected, log.Str("level"));
        Assert.Equal(level == LogLevel.Critical ? "critical" : null, log.Label("severity"));
    }

    [Fact]
    public async Task Honours_minimum_log_level()
    {
        await using var harness = new LoggingHarness(o => o.MinimumLogLevel = LogLevel.Warning);
        var logger = harness.Logger("Levels");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        logger.LogInformation("dropped");
        logger.LogWarning("kept");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("kept", log.Str("message"));
    }

    [Fact]
    public async Task Configuration_filters_under_the_Panopticon_alias_apply()
    {
        var configuration = LoggingHarness.Configuration(("Logging:Panopticon:LogLevel:Default", "Error"));
        await using var harness = new LoggingHarness(logging: b => b.AddConfiguration(configuration.GetSection("Logging")));
        var logger = harness.Logger("Filtered");

        logger.LogWarning("filtered by configuration");
        logger.LogError("kept");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("kept", log.Str("message"));
    }

    [Fact]
    public async Task Scope_values_become_labels()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Scopes");

        using (logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = "t-1", ["Attempt"] = 3 }))
        using (logger.BeginScope("Processing batch {BatchId}", "b-9"))
        using (logger.BeginScope("plain scope"))
        {
            logger.LogInformation("inside");
        }

        logger.LogInformation("outside");

        var logs = await harness.FlushLogsAsync();
        var inside = Assert.Single(logs, l => l.Str("message") == "inside");
        Assert.Equal("t-1", inside.Label("TenantId"));
        Assert.Equal(3, inside.GetProperty("labels").GetProperty("Attempt").GetInt32());
        Assert.Equal("b-9", inside.Label("BatchId"));
        Assert.Equal("plain scope", inside.Label("scope"));
        var outside = Assert.Single(logs, l => l.Str("message") == "outside");
        Assert.False(outside.HasLabel("TenantId"));
    }

    [Fact]
    public async Task A_scope_belongs_to_the_async_flow_that_began_it_and_ends_once()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Scopes");
        var scopeBegun = new TaskCompletionSource();
        var otherFlowLogged = new TaskCompletionSource();

        var other = Task.Run(async () =>
        {
            await scopeBegun.Task;
            logger.LogInformation("other flow");
            otherFlowLogged.SetResult();
        });
        var outer = logger.BeginScope(new Dictionary<string, object?> { ["Flow"] = "outer" })!;
        var inner = logger.BeginScope(new Dictionary<string, object?> { ["Inner"] = 1 })!;
        scopeBegun.SetResult();
        await otherFlowLogged.Task.WaitAsync(TimeSpan.FromSeconds(10));
        inner.Dispose();
        logger.LogInformation("after inner");
        outer.Dispose();
        inner.Dispose(); // a second Dispose must not bring the ended outer scope back
        logger.LogInformation("after outer");
        await other;

        var logs = await harness.FlushLogsAsync();
        Assert.False(Assert.Single(logs, l => l.Str("message") == "other flow").HasLabel("Flow"));
        var afterInner = Assert.Single(logs, l => l.Str("message") == "after inner");
        Assert.Equal("outer", afterInner.Label("Flow"));
        Assert.False(afterInner.HasLabel("Inner"));
        Assert.False(Assert.Single(logs, l => l.Str("message") == "after outer").HasLabel("Flow"));
    }

    [Fact]
    public async Task Scope_copies_of_the_trace_ids_are_not_repeated_as_labels()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Scopes");

        // What ASP.NET Core's activity tracking and hosting scopes carry on every request log.
        using (logger.BeginScope(new Dictionary<string, object?> { ["TraceId"] = "t", ["SpanId"] = "s", ["ParentId"] = "p", ["RequestId"] = "r-1" }))
        {
            logger.LogInformation("inside");
        }

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("r-1", log.Label("RequestId"));
        Assert.False(log.HasLabel("TraceId"));
        Assert.False(log.HasLabel("SpanId"));
        Assert.False(log.HasLabel("ParentId"));
    }

    [Theory]
    [InlineData(ActivityTrackingOptions.Tags | ActivityTrackingOptions.Baggage, true)]
    [InlineData(ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId, false)]
    public async Task Activity_tags_and_baggage_become_labels_when_the_app_tracks_them_in_log_scopes(ActivityTrackingOptions tracking, bool expected)
    {
        await using var harness = new LoggingHarness(logging: b => b.Configure(o => o.ActivityTrackingOptions = tracking));
        using var activity = new Activity("checkout").SetIdFormat(ActivityIdFormat.W3C).AddBaggage("tenant", "t-1").SetTag("cart.size", 3).Start();

        harness.Logger("Traced").LogInformation("inside");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal(expected ? "t-1" : null, log.Label("tenant"));
        Assert.Equal(expected, log.HasLabel("cart_size"));
        Assert.Equal(activity.TraceId.ToHexString(), log.Str("trace_id"));
    }

    [Fact]
    public async Task Carries_the_ids_of_the_activity_current_at_the_log_call()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Traced");
        using var outer = new Activity("outer").SetIdFormat(ActivityIdFormat.W3C).Start();
        logger.LogInformation("in outer");
        string innerSpanId;
        using (var inner = new Activity("inner").Start())
        {
            innerSpanId = inner.SpanId.ToHexString();
            logger.LogInformation("in inner");
        }

        var logs = await harness.FlushLogsAsync();
        var first = Assert.Single(logs, l => l.Str("message") == "in outer");
        var second = Assert.Single(logs, l => l.Str("message") == "in inner");
        Assert.Equal(outer.TraceId.ToHexString(), first.Str("trace_id"));
        Assert.Equal(outer.SpanId.ToHexString(), first.Str("span_id"));
        Assert.Equal(outer.TraceId.ToHexString(), second.Str("trace_id"));
        Assert.Equal(innerSpanId, second.Str("span_id"));
    }

    [Fact]
    public async Task Takes_method_and_path_from_the_enclosing_server_activity()
    {
        await using var harness = new LoggingHarness();
        using var source = new ActivitySource("logging-tests-server");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using (var server = source.StartActivity("GET /orders/{id}", ActivityKind.Server))
        {
            server!.SetTag("http.request.method", "GET").SetTag("url.path", "/orders/7");
            using var child = source.StartActivity("work");
            harness.Logger("Handler").LogInformation("handling");
        }

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("GET", log.Str("http_method"));
        Assert.Equal("/orders/7", log.Str("http_path"));
    }

    [Fact]
    public async Task Exceptions_arrive_with_type_message_and_stack()
    {
        await using var harness = new LoggingHarness();
        Exception caught;
        try
        {
            throw new InvalidOperationException("stock is negative");
        }
        catch (InvalidOperationException exception)
        {
            caught = exception;
        }

        harness.Logger("Errors").LogError(caught, "Could not reserve {Sku}", "abc");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("ERROR", log.Str("level"));
        Assert.Equal("Could not reserve abc", log.Str("message"));
        Assert.Equal("System.InvalidOperationException", log.Label("exception_type"));
        Assert.Equal("stock is negative", log.Label("exception_message"));
        Assert.Contains(nameof(Exceptions_arrive_with_type_message_and_stack), log.Label("exception_stacktrace"));
    }

    [Theory]
    [InlineData("Panopticon.Sdk")]
    [InlineData("Panopticon.Sdk.Transport.HttpTransport")]
    public async Task Never_logs_the_sdks_own_categories(string category)
    {
        await using var harness = new LoggingHarness();
        var own = harness.Logger(category);

        Assert.False(own.IsEnabled(LogLevel.Critical));
        own.LogCritical("must not loop");
        harness.Logger("Panopticon.Orders").LogInformation("a user category");

        var log = Assert.Single(await harness.FlushLogsAsync());
        Assert.Equal("Panopticon.Orders", log.Label("context"));
    }

    [Fact]
    public async Task EnableLogTracking_false_sends_nothing()
    {
        await using var harness = new LoggingHarness(o => o.EnableLogTracking = false);
        var logger = harness.Logger("Off");

        Assert.False(logger.IsEnabled(LogLevel.Critical));
        logger.LogCritical("nothing");

        Assert.Empty(await harness.FlushLogsAsync());
    }

    [Fact]
    public async Task A_throwing_formatter_never_reaches_the_caller()
    {
        await using var harness = new LoggingHarness();
        var logger = harness.Logger("Throwing");

        logger.Log(LogLevel.Information, default, "state", null, (_, _) => throw new FormatException("bad formatter"));
        logger.LogInformation("after");

        var logs = await harness.FlushLogsAsync();
        Assert.Equal("after", Assert.Single(logs, l => l.Str("level") == "INFO").Str("message"));
        Assert.Contains("(unserializable: 1)", Assert.Single(logs, l => l.Str("level") == "WARN").Str("message")); // the lost line is reported
    }

    [Fact]
    public async Task Adding_log_tracking_twice_adds_one_provider()
    {
        await using var harness = new LoggingHarness(logging: b => b.AddPanopticon().AddPanopticon());

        harness.Logger("Once").LogInformation("one line");

        Assert.Single(await harness.FlushLogsAsync());
    }
}
