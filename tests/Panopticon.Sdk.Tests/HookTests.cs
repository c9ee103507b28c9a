using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Testing;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

public sealed class HookTests
{
    private readonly InMemoryPanopticonSink _sink = new();
    private readonly CapturedLog _log = new();

    [Fact]
    public async Task Enrich_hooks_add_labels_and_change_values_without_touching_the_message_or_the_apps_state()
    {
        await using var app = await App(builder => builder
            .EnrichLogs(log =>
            {
                log.SetLabel("tenant", "acme");
                log.SetLabel("OrderId", (int)log.GetLabel("OrderId")! + 1);
            })
            .EnrichSpans(span =>
            {
                span.SetLabel("tenant", "acme");
                span.Name = span.Name.ToUpperInvariant();
            }));
        var logger = app.Logger();
        object?[] state = [42];

        logger.LogInformation("Order {OrderId} shipped", state);
        app.EndSpan("checkout", tags: [("customer", "c-1")]);
        await app.FlushAsync();

        var log = Assert.Single(_sink.Logs);
        Assert.Equal("acme", log.GetProperty("labels").GetProperty("tenant").GetString());
        Assert.Equal(43, log.GetProperty("labels").GetProperty("OrderId").GetInt32());
        Assert.Equal("Order 42 shipped", log.GetProperty("message").GetString());
        Assert.Equal(42, state[0]); // the application's state is copied, never changed
        var span = Assert.Single(_sink.Spans);
        Assert.Equal("CHECKOUT", span.GetProperty("name").GetString());
        Assert.Equal("acme", span.GetProperty("labels").GetProperty("tenant").GetString());
        Assert.Equal("c-1", span.GetProperty("labels").GetProperty("customer").GetString());
    }

    [Fact]
    public async Task Filter_hooks_drop_records_counted_as_filtered_and_flush_still_completes()
    {
        await using var app = await App(builder => builder
            .FilterLogs(log => log.Level >= LogLevel.Warning)
            .FilterSpans(span => span.Name != "noise"));
        var logger = app.Logger();

        logger.LogInformation("chatty");
        logger.LogWarning("careful");
        app.EndSpan("noise");
        app.EndSpan("checkout");
        var result = await app.FlushAsync();

        Assert.Equal("careful", Assert.Single(_sink.Logs).GetProperty("message").GetString());
        Assert.Equal("checkout", Assert.Single(_sink.Spans).GetProperty("name").GetString());
        Assert.Equal(2, app.Client.Statistics.DroppedByReason["filtered"]);
        Assert.Equal(0, app.Client.BufferSize);
        Assert.Equal(2, result.Sent);
    }

    [Fact]
    public async Task A_throwing_hook_drops_nothing_sends_the_record_unchanged_and_is_counted()
    {
        await using var app = await App(builder => builder
            .EnrichLogs(log =>
            {
                log.SetLabel("tenant", "half-done");
                throw new InvalidOperationException("bug in the app's hook");
            })
            .FilterSpans(_ => throw new InvalidOperationException("bug in the app's filter")));
        var logger = app.Logger();

        logger.LogInformation("one");
        logger.LogInformation("two");
        app.EndSpan("checkout");
        await app.FlushAsync();

        Assert.Equal(["one", "two"], _sink.Logs.Select(l => l.GetProperty("message").GetString()).Order());
        Assert.All(_sink.Logs, log => Assert.False(log.GetProperty("labels").TryGetProperty("tenant", out _)));
        Assert.Equal("checkout", Assert.Single(_sink.Spans).GetProperty("name").GetString());
        Assert.Equal(3, app.Client.Statistics.HookFailures);
        Assert.Equal(0, app.Client.Statistics.Dropped);
    }

    [Fact]
    public async Task A_throwing_hook_is_reported_once_per_signal_in_the_apps_own_log_with_its_exception()
    {
        await using var app = await App(builder => builder
            .EnrichLogs(_ => throw new InvalidOperationException("bug in the app's hook"))
            .FilterSpans(_ => throw new FormatException("bug in the app's filter")));
        var logger = app.Logger();

        for (var i = 0; i < 5; i++)
        {
            logger.LogInformation("Order {OrderId} shipped", i);
            app.EndSpan("checkout");
            await app.FlushAsync();
        }

        Assert.Equal(10, app.Client.Statistics.HookFailures);
        Assert.Equal(
            [
                "Panopticon: a log hook threw System.InvalidOperationException; the log was sent without the hooks' changes. Later failures are not reported, only counted (Statistics.HookFailures).",
                "Panopticon: a span hook threw System.FormatException; the span was sent without the hooks' changes. Later failures are not reported, only counted (Statistics.HookFailures).",
            ],
            _log.Warnings.Order());
        Assert.All(_log.Lines, line => Assert.Equal("Panopticon.Sdk.Export", line.Category));
    }

    [Fact]
    public async Task Labels_a_hook_adds_are_redacted_too()
    {
        await using var app = await App(builder => builder.EnrichLogs(log => log.SetLabel("api_token", "tok_live_1")));

        app.Logger().LogInformation("hello");
        await app.FlushAsync();

        Assert.Equal("REDACTED", Assert.Single(_sink.Logs).GetProperty("labels").GetProperty("api_token").GetString());
    }

    private Task<MonitoredApp> App(Action<IPanopticonBuilder> hooks) => MonitoredApp.StartAsync(_sink, panopticon: hooks, appLog: _log);
}
