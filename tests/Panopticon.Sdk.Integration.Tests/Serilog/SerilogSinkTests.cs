using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Serilog;
using Panopticon.Sdk.Testing;
using Serilog;
using Serilog.Events;

namespace Panopticon.Sdk.Integration.Tests.Serilog;

/// <summary>Apps that log through Serilog: the sink, Serilog's level controls, and the warning when the sink is missing.</summary>
public sealed class SerilogSinkTests
{
    [Fact]
    public async Task A_request_log_carries_the_server_span_ids_the_message_as_written_and_typed_labels()
    {
        await using var app = await SerilogApp.StartAsync((builder, console) => builder.Host.UseSerilog(
            (context, services, configuration) => configuration
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .WriteTo.Sink(console)
                .WriteTo.Panopticon(services),
            preserveStaticLogger: true));

        var span = await app.GetAndFlushAsync("/orders/12");

        var fetching = Assert.Single(app.Producer.Logs, l => l.Str("message") == "Fetching order 12");
        Assert.Equal("INFO", fetching.Str("level"));
        Assert.Equal(span.Str("trace_id"), fetching.Str("trace_id"));
        Assert.Equal(span.Str("span_id"), fetching.Str("span_id"));
        Assert.Equal("GET", fetching.Str("http_method"));
        Assert.Equal("/orders/12", fetching.Str("http_path"));
        var labels = fetching.GetProperty("labels");
        Assert.Equal(JsonValueKind.Number, labels.GetProperty("OrderId").ValueKind);
        Assert.Equal(12, labels.GetProperty("OrderId").GetInt32());
        Assert.Equal(SerilogApp.Category, fetching.Label("context"));
        foreach (var perRequest in new[] { "RequestId", "RequestPath", "ConnectionId", "SourceContext", "EventId" })
        {
            Assert.False(fetching.HasLabel(perRequest), perRequest);
        }

        // Strings as the user wrote them: Serilog's own rendering would say "Ada" with quotes.
        var owner = Assert.Single(app.Producer.Logs, l => l.Str("message")!.StartsWith("Order 12", StringComparison.Ordinal));
        Assert.Equal("Order 12 belongs to Ada", owner.Str("message"));
        Assert.Equal("Ada", owner.Label("Customer"));

        // An ILogger EventId: its id as a number and its name, not one JSON string.
        var served = Assert.Single(app.Producer.Logs, l => l.Str("message") == "Served order 12");
        Assert.Equal(JsonValueKind.Number, served.GetProperty("labels").GetProperty("EventId").ValueKind);
        Assert.Equal(42, served.GetProperty("labels").GetProperty("EventId").GetInt32());
        Assert.Equal("OrderServed", served.Label("EventName"));

        // MinimumLevel.Override("Microsoft", Warning): none of the framework's Information lines, here or on the console.
        Assert.All(app.Producer.Logs, l => Assert.False(l.Label("context")?.StartsWith("Microsoft", StringComparison.Ordinal), l.ToString()));
        Assert.Equal(3, app.Producer.Logs.Count);
        Assert.Equal(3, app.Console.Events.Count(e => e.Level == LogEventLevel.Information));
    }

    [Fact]
    public async Task Levels_exceptions_structured_values_and_long_values_map_to_the_Producers_fields()
    {
        await using var harness = new SerilogHarness(o => o.MaxValueLength = 64);
        var logger = harness.Logger(lc => lc.MinimumLevel.Verbose()).ForContext("SourceContext", "Billing.Invoices");

        logger.Verbose("verbose line");
        logger.Debug("debug line");
        logger.Information("Invoice {InvoiceId} for {Amount:0.00} EUR, paid {Paid}", 7, 12.5m, true);
        logger.Warning("warning line");
        logger.Error(new InvalidOperationException("card declined"), "Charging {Customer} failed", "Ada");
        logger.Fatal("fatal line");
        logger.Information("Order {@Order} with {Items}", new { Id = 12, Total = 9.5 }, new[] { "pen", "ink" });
        logger.Information("Note {Note}", new string('x', 500));

        var logs = await harness.FlushAsync();

        Assert.Equal(["DEBUG", "DEBUG", "INFO", "WARN", "ERROR", "ERROR", "INFO", "INFO"], logs.Select(l => l.Str("level")));
        Assert.All(logs, l => Assert.Equal("Billing.Invoices", l.Label("context")));

        var invoice = logs[2];
        Assert.Equal(string.Format(System.Globalization.CultureInfo.CurrentCulture, "Invoice 7 for {0:0.00} EUR, paid True", 12.5m), invoice.Str("message"));
        Assert.Equal(JsonValueKind.Number, invoice.GetProperty("labels").GetProperty("InvoiceId").ValueKind);
        Assert.Equal(12.5m, invoice.GetProperty("labels").GetProperty("Amount").GetDecimal());
        Assert.Equal(JsonValueKind.True, invoice.GetProperty("labels").GetProperty("Paid").ValueKind);

        var failure = logs[4];
        Assert.Equal("Charging Ada failed", failure.Str("message"));
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.Label("exception_type"));
        Assert.Equal("card declined", failure.Label("exception_message"));
        Assert.Contains("card declined", failure.Label("exception_stacktrace"), StringComparison.Ordinal);
        Assert.False(failure.HasLabel("severity"));
        Assert.Equal("critical", logs[5].Label("severity"));

        var order = logs[6];
        Assert.Equal("{\"Id\":12,\"Total\":9.5}", order.GetProperty("labels").GetProperty("Order").GetString());
        Assert.Equal("[\"pen\",\"ink\"]", order.GetProperty("labels").GetProperty("Items").GetString());

        var note = logs[7].Label("Note")!;
        Assert.True(note.Length < 100, $"{note.Length} characters: not truncated by MaxValueLength");
        Assert.StartsWith(new string('x', 32), note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestrictedToMinimumLevel_limits_what_Panopticon_gets_and_the_SDKs_own_categories_are_never_sent()
    {
        await using var harness = new SerilogHarness();
        var logger = harness.Logger(lc => lc.MinimumLevel.Verbose(), restrictedToMinimumLevel: LogEventLevel.Warning);

        logger.Information("below the sink's level");
        logger.Warning("at the sink's level");
        logger.ForContext("SourceContext", "Panopticon.Sdk").Error("the SDK's own line");
        logger.Error("{SourceContext} is a reserved label key: {context}", "Custom.Context", "kept beside it");

        var logs = await harness.FlushAsync();

        Assert.Equal(["at the sink's level", "Custom.Context is a reserved label key: kept beside it"], logs.Select(l => l.Str("message")));
        Assert.False(logs[0].HasLabel("context"));
        Assert.Equal("Custom.Context", logs[1].Label("context"));
        Assert.Equal("kept beside it", logs[1].Label("attr_context"));
    }

    [Fact]
    public async Task A_burst_with_the_Producer_down_stays_within_MaxQueueSize_and_counts_what_it_drops()
    {
        const int burst = 10_000, maxQueueSize = 1_000, batchSize = 100;
        var services = new ServiceCollection();
        services.AddPanopticon(o =>
        {
            o.ApiKey = "test-key";
            o.Endpoint = $"http://127.0.0.1:{ClosedPort()}";
            o.MaxQueueSize = maxQueueSize;
            o.BatchSize = batchSize;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        });
        await using var provider = services.BuildServiceProvider();
        using var logger = new LoggerConfiguration().WriteTo.Panopticon(provider).CreateLogger();
        var client = provider.GetRequiredService<IPanopticonClient>();

        for (var i = 0; i < burst; i++)
        {
            logger.Information("Order {OrderId} shipped", i);
        }

        // Every event was taken; what did not fit is counted, and memory holds at most the queue plus the batches
        // being sent (one per export lane).
        var statistics = client.Statistics;
        Assert.True(statistics.Accepted >= burst, statistics.ToString());
        Assert.InRange(client.BufferSize, 1, maxQueueSize + (2 * batchSize));
        Assert.InRange(statistics.DroppedByReason["queue_full"], burst - maxQueueSize - (2 * batchSize), burst);
        Assert.Equal(0, statistics.Sent);
    }

    [Fact]
    public async Task Events_follow_their_traces_sampling_decision()
    {
        await using var harness = new SerilogHarness(o => o.TracesSampleRatio = 0);
        harness.StartTracing();
        var logger = harness.Logger();

        using (PanopticonTrace.StartSpan("quiet import"))
        {
            logger.Information("Imported {Count} rows", 3);
        }

        string failedTrace;
        using (var failing = PanopticonTrace.StartSpan("failing import"))
        {
            failedTrace = failing!.TraceId.ToHexString();
            logger.Error("Import failed");
        }

        var logs = await harness.FlushAsync();
        var log = Assert.Single(logs);
        Assert.Equal("Import failed", log.Str("message"));
        Assert.Equal(failedTrace, log.Str("trace_id"));
        Assert.Equal(failedTrace, Assert.Single(harness.Sink.Spans).Str("trace_id"));
    }

    [Fact]
    public async Task Without_the_sink_the_app_warns_once_at_startup_naming_the_fix_and_keeps_running()
    {
        await using var app = await SerilogApp.StartAsync((builder, console) => builder.Host.UseSerilog(
            (context, services, configuration) => configuration.WriteTo.Sink(console),
            preserveStaticLogger: true));

        using var response = await app.Client.GetAsync("/orders/12");
        response.EnsureSuccessStatusCode();

        var warning = Assert.Single(app.Console.Events, e => e.Level == LogEventLevel.Warning);
        Assert.Contains("WriteTo.Panopticon(services)", warning.RenderMessage(), StringComparison.Ordinal);
        Assert.Contains("Panopticon.Sdk.Serilog", warning.RenderMessage(), StringComparison.Ordinal);
        var result = await app.Services.GetRequiredService<IPanopticonClient>().FlushAsync();
        Assert.True(result.Succeeded);
        Assert.Empty(app.Producer.Logs);
    }

    [Theory]
    [InlineData("ReadFrom.Services")]
    [InlineData("writeToProviders")]
    public async Task No_warning_when_lines_reach_Panopticon(string wiring)
    {
        await using var app = await SerilogApp.StartAsync(
            (builder, console) => builder.Host.UseSerilog(
                (context, services, configuration) =>
                {
                    configuration.MinimumLevel.Override("Microsoft", LogEventLevel.Warning).WriteTo.Sink(console);
                    if (wiring == "ReadFrom.Services")
                    {
                        configuration.ReadFrom.Services(services);
                    }
                },
                preserveStaticLogger: true,
                writeToProviders: wiring == "writeToProviders"),
            panopticon => panopticon.AddSerilog());

        await app.GetAndFlushAsync("/orders/12");

        Assert.DoesNotContain(app.Console.Events, e => e.Level == LogEventLevel.Warning);
        Assert.Single(app.Producer.Logs, l => l.Str("message") == "Fetching order 12");
    }

    [Fact]
    public async Task A_logger_built_before_the_host_keeps_its_events_until_the_host_connects_the_sink()
    {
        var sink = new PanopticonSink();
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var early = PanopticonSink.MaxEventsBeforeBinding + 5;
        for (var i = 0; i < early; i++)
        {
            logger.Information("Starting step {Step}", i);
        }

        var memory = new InMemoryPanopticonSink();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPanopticon(o => o.ServiceName = "bootstrap").UseInMemorySink(memory).AddSerilog(sink);
        builder.Services.AddSerilog(logger);
        using var host = builder.Build();
        await host.StartAsync();
        logger.Information("Started");

        var client = host.Services.GetRequiredService<IPanopticonClient>();
        Assert.True((await client.FlushAsync()).Completed);
        await host.StopAsync();

        // The host's own lines go through Serilog too: only the test's are counted.
        // Batches travel side by side, so arrival order is not writing order.
        var messages = memory.Logs.Select(l => l.Str("message")!).Where(m => m.StartsWith("Start", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        var kept = Enumerable.Range(0, PanopticonSink.MaxEventsBeforeBinding).Select(i => $"Starting step {i}").Append("Started");
        Assert.Equal(kept.Order(StringComparer.Ordinal), messages);
        Assert.Equal(5, client.Statistics.DroppedByReason["queue_full"]);
    }

    [Fact]
    public async Task A_bootstrap_logger_hands_its_sink_to_the_hosts_logger_through_ReadFrom_Services()
    {
        var sink = new PanopticonSink();
        Log.Logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateBootstrapLogger();
        try
        {
            Log.Information("Configuring {Service}", "billing");

            var memory = new InMemoryPanopticonSink();
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddPanopticon(o => o.ServiceName = "bootstrap").UseInMemorySink(memory).AddSerilog(sink);
            builder.Services.AddSerilog((services, configuration) => configuration
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .ReadFrom.Services(services));
            using var host = builder.Build();
            await host.StartAsync();
            Log.ForContext("SourceContext", "Billing.Worker").Information("Started");

            var client = host.Services.GetRequiredService<IPanopticonClient>();
            Assert.True((await client.FlushAsync()).Completed);
            await host.StopAsync();

            Assert.Equal(["Configuring billing", "Started"], memory.Logs.Select(l => l.Str("message")).Order(StringComparer.Ordinal));
            Assert.Equal("Billing.Worker", Assert.Single(memory.Logs, l => l.Str("message") == "Started").Label("context"));
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>A loopback port nothing listens on: a Producer that is down.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
