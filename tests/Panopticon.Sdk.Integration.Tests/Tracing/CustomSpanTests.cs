using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Integration.Tests.Tracing;

/// <summary>The application's own spans in a generic host: <c>AddSource</c>, <c>Panopticon:Sources</c>, <c>PanopticonTrace</c>.</summary>
public sealed class CustomSpanTests
{
    private static readonly ActivitySource Orders = new("Shop.Orders");
    private static readonly ActivitySource Billing = new("Shop.Billing");
    private static readonly ActivitySource Other = new("Elsewhere.Jobs");

    [Fact]
    public async Task AddSource_with_a_wildcard_sends_the_matching_sources_only()
    {
        var sink = new InMemoryPanopticonSink();
        using var host = StartHost(services => services.AddPanopticon(_ => { }).UseInMemorySink(sink).AddSource("Shop.*"));

        await SendFromThreeSourcesAsync(host);

        Assert.Equal(["bill", "order"], sink.Spans.Select(s => s.Str("name")).Order());
    }

    [Fact]
    public async Task Panopticon_Sources_from_configuration_sends_the_matching_sources_only()
    {
        var sink = new InMemoryPanopticonSink();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Panopticon:Sources:0"] = "Shop.*" })
            .Build();
        using var host = StartHost(services => services.AddPanopticon(configuration).UseInMemorySink(sink));

        await SendFromThreeSourcesAsync(host);

        Assert.Equal(["bill", "order"], sink.Spans.Select(s => s.Str("name")).Order());
    }

    [Fact]
    public void An_empty_source_name_fails_at_startup_naming_the_option()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Panopticon:ApiKey"] = "k", ["Panopticon:Sources:0"] = " " })
            .Build();

        var failure = Assert.Throws<OptionsValidationException>(() => StartHost(services => services.AddPanopticon(configuration)));

        Assert.Contains("Panopticon:Sources:0", failure.Message);
    }

    [Fact]
    public async Task StartSpan_is_a_child_of_the_current_span_with_kind_and_tags_as_labels()
    {
        var sink = new InMemoryPanopticonSink();
        using var host = StartHost(services => services.AddPanopticon(_ => { }).UseInMemorySink(sink));

        using (var parent = PanopticonTrace.StartSpan("sync-catalog"))
        {
            using var child = PanopticonTrace.StartSpan("call-supplier", ActivityKind.Client, [new("supplier", "acme"), new("items", 3), new("context", "mine")]);
            Assert.Same(child, Activity.Current);
        }

        await FlushAsync(host);
        var parentSpan = Assert.Single(sink.Spans, s => s.Str("name") == "sync-catalog");
        var childSpan = Assert.Single(sink.Spans, s => s.Str("name") == "call-supplier");
        Assert.Equal("INTERNAL", parentSpan.Str("kind"));
        Assert.Equal(JsonValueKind.Null, parentSpan.GetProperty("parent_span_id").ValueKind);
        Assert.Equal("CLIENT", childSpan.Str("kind"));
        Assert.Equal(parentSpan.Str("trace_id"), childSpan.Str("trace_id"));
        Assert.Equal(parentSpan.Str("span_id"), childSpan.Str("parent_span_id"));
        Assert.Equal("acme", childSpan.Label("supplier"));
        Assert.Equal(JsonValueKind.Number, childSpan.GetProperty("labels").GetProperty("items").ValueKind);
        Assert.Equal("mine", childSpan.Label("attr_context")); // a reserved name gets the prefix
    }

    [Fact]
    public async Task RunAsync_gives_an_OK_span_with_its_duration_and_returns_the_result()
    {
        var sink = new InMemoryPanopticonSink();
        using var host = StartHost(services => services.AddPanopticon(_ => { }).UseInMemorySink(sink));
        var clock = Stopwatch.StartNew();

        var result = await PanopticonTrace.RunAsync("sync-inventory", async span =>
        {
            span?.SetTag("items", 42);
            await Task.Delay(50);
            return 42;
        });
        var elapsed = clock.Elapsed;

        await FlushAsync(host);
        Assert.Equal(42, result);
        var span = Assert.Single(sink.Spans, s => s.Str("name") == "sync-inventory");
        Assert.Equal("OK", span.Str("status"));
        Assert.Equal("INTERNAL", span.Str("kind"));
        Assert.Equal("42", span.Label("items"));
        var duration = span.GetProperty("duration_ms").GetDouble();
        Assert.InRange(duration, 45, elapsed.TotalMilliseconds); // the awaited work, not the call's first synchronous part
    }

    [Fact]
    public async Task RunAsync_marks_a_failed_span_and_rethrows_the_same_exception()
    {
        var sink = new InMemoryPanopticonSink();
        using var host = StartHost(services => services.AddPanopticon(_ => { }).UseInMemorySink(sink));
        var thrown = new InvalidOperationException("supplier is down");

        var caught = await Assert.ThrowsAsync<InvalidOperationException>(() => PanopticonTrace.RunAsync("sync-inventory", async _ =>
        {
            await Task.Yield();
            throw thrown;
        }));

        await FlushAsync(host);
        Assert.Same(thrown, caught);
        var span = Assert.Single(sink.Spans, s => s.Str("name") == "sync-inventory");
        Assert.Equal("ERROR", span.Str("status"));
        Assert.Equal("System.InvalidOperationException", span.Label("exception_type"));
        Assert.Equal("supplier is down", span.Label("exception_message"));
        Assert.Contains(nameof(RunAsync_marks_a_failed_span_and_rethrows_the_same_exception), span.Label("exception_stacktrace"));
        Assert.Equal("System.InvalidOperationException", span.Label("error_type"));
        Assert.Equal("supplier is down", span.Label("error_message"));
    }

    [Fact]
    public async Task With_the_SDK_disabled_StartSpan_returns_null_and_nothing_is_sent_or_thrown()
    {
        var sink = new InMemoryPanopticonSink();
        using var host = StartHost(services => services.AddPanopticon(o => o.Enabled = false).UseInMemorySink(sink).AddSource("Shop.*").AddLogTracking());

        using (var span = PanopticonTrace.StartSpan("process-order", tags: [new("order_id", 1)]))
        {
            Assert.Null(span);
            PanopticonTrace.MarkFailed(span, new InvalidOperationException("ignored"));
            Assert.Null(Orders.StartActivity("order"));
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop").LogInformation("not sent");
        }

        Assert.Equal(7, await PanopticonTrace.RunAsync("sync", span => Task.FromResult(span is null ? 7 : 0)));
        await Assert.ThrowsAsync<TimeoutException>(() => PanopticonTrace.RunAsync("sync", _ => throw new TimeoutException()));

        var flushed = await FlushAsync(host);
        Assert.Equal(0, flushed.Sent);
        Assert.Empty(sink.Spans);
        Assert.Empty(sink.Logs);
        Assert.Equal(0, sink.RequestCount);
    }

    [Fact]
    public void LoggerFactory_Create_with_AddPanopticon_and_no_client_says_what_to_call()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => LoggerFactory.Create(logging => logging.AddPanopticon()));

        Assert.Contains("PanopticonClient.Create", failure.Message);
        Assert.Contains("AddPanopticon(client)", failure.Message);
        Assert.Contains("services.AddPanopticon", failure.Message);
    }

    private static async Task SendFromThreeSourcesAsync(IHost host)
    {
        using (Orders.StartActivity("order"))
        using (Billing.StartActivity("bill"))
        using (Other.StartActivity("other"))
        {
        }

        await FlushAsync(host);
    }

    private static IHost StartHost(Action<IServiceCollection> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        configure(builder.Services);
        var host = builder.Build();
        try
        {
            host.Start();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static Task<FlushResult> FlushAsync(IHost host) => host.Services.GetRequiredService<IPanopticonClient>().FlushAsync();
}
