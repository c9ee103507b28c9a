using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

public sealed class LifecycleTests : IDisposable
{
    private const string AppCategory = "Shop.Orders"; // not under Panopticon.Sdk, whose lines the SDK never sends

    private readonly FakeProducer _producer = new();

    [Fact]
    public async Task A_host_delivers_records_written_before_start_and_right_before_stop_during_shutdown()
    {
        using var source = NewSource();
        var builder = NewHost();
        builder.Services.AddPanopticon(o =>
        {
            o.ApiKey = "k";
            o.Endpoint = _producer.Url;
            o.FlushInterval = TimeSpan.FromHours(1); // only shutdown can send them
            o.ShutdownTimeout = TimeSpan.FromSeconds(30); // generous: a loaded CI machine must not turn this into a timeout test
        }).AddLogTracking().AddSource(source.Name);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AppCategory);

        logger.LogInformation("before start");
        await host.StartAsync();
        logger.LogInformation("right before stop");
        source.StartActivity("last span")!.Stop();
        Assert.Empty(_producer.Requests());
        await host.StopAsync();

        Assert.Equal(["before start", "right before stop"], _producer.Records(FakeProducer.LogsPath).Select(r => r.GetProperty("message").GetString()));
        Assert.Equal("last span", Assert.Single(_producer.Records(FakeProducer.TracesPath)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Host_stop_and_disposal_share_one_ShutdownTimeout_when_the_Producer_is_down()
    {
        var builder = NewHost();
        builder.Services.AddPanopticon(o =>
        {
            o.ApiKey = "k";
            o.Endpoint = "http://127.0.0.1:9"; // nothing listens: every batch is held
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
        }).AddLogTracking();
        var host = builder.Build();
        var client = host.Services.GetRequiredService<IPanopticonClient>();
        await host.StartAsync();
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(AppCategory).LogInformation("held");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();
        host.Dispose();

        // One budget of 2 s for both (each used to take its own); the margin is for a loaded machine.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(3.5));
        Assert.Equal(1, client.Statistics.DroppedByReason["shutdown"]);
    }

    [Fact]
    public async Task DisposeAsync_without_a_host_delivers_what_is_buffered()
    {
        var client = NewClient(_producer.Url, o => { o.FlushInterval = TimeSpan.FromHours(1); o.ShutdownTimeout = TimeSpan.FromSeconds(30); });

        client.CreateLogger("console").LogInformation("last words");
        await client.DisposeAsync();

        Assert.Equal("last words", Assert.Single(_producer.Records(FakeProducer.LogsPath)).GetProperty("message").GetString());
        Assert.Equal(0, client.BufferSize);
    }

    // Calls the handler directly: ending this process would end the test run, so it does not check the subscription.
    [Fact]
    public void Without_a_host_the_process_exit_handler_delivers_what_is_buffered_before_it_returns()
    {
        var client = NewClient(_producer.Url, o => { o.FlushInterval = TimeSpan.FromHours(1); o.ShutdownTimeout = TimeSpan.FromSeconds(30); });
        client.CreateLogger("console").LogInformation("exiting");

        client.OnProcessExit(AppDomain.CurrentDomain, EventArgs.Empty); // what AppDomain.ProcessExit invokes

        Assert.Equal("exiting", Assert.Single(_producer.Records(FakeProducer.LogsPath)).GetProperty("message").GetString());
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task Shutdown_gives_up_after_ShutdownTimeout_when_the_endpoint_hangs()
    {
        using var silent = new SilentProducer();
        var client = NewClient(silent.Url, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300));

        client.CreateLogger("console").LogInformation("held");
        var clock = Stopwatch.StartNew();
        await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {clock.Elapsed.TotalMilliseconds} ms, before ShutdownTimeout");
        Assert.Equal(1, client.Statistics.DroppedByReason["shutdown"]);
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task Adding_the_sdk_twice_registers_one_client_and_one_processor()
    {
        var builder = NewHost();
        builder.Services.AddPanopticon(o => { o.ApiKey = "k"; o.Endpoint = _producer.Url; });
        builder.Services.AddPanopticon(o => o.ServiceName = "second-call-wins");
        var source = new ActivitySource("Lifecycle.Twice." + Guid.NewGuid().ToString("N"));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(source.Name));
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<PanopticonClient>();
        Assert.Single(host.Services.GetServices<PanopticonClient>());
        Assert.Same(client, host.Services.GetRequiredService<IPanopticonClient>());
        Assert.Single(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "PanopticonLifecycleService");
        Assert.Equal("second-call-wins", host.Services.GetRequiredService<IOptions<PanopticonOptions>>().Value.ServiceName);

        // Two processors would hand every ended activity to the engine twice.
        source.StartActivity("once")!.Dispose();
        await client.FlushAsync();
        Assert.Equal(1, client.Statistics.Accepted);
        Assert.Single(_producer.Records(FakeProducer.TracesPath), r => r.GetProperty("name").GetString() == "once");
        await host.StopAsync();
    }

    public void Dispose() => _producer.Dispose();

    // Without the framework's own log lines, which log tracking would send as records too.
    private static HostApplicationBuilder NewHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddFilter("Microsoft", LogLevel.None);
        return builder;
    }

    private static ActivitySource NewSource() => new("Panopticon.Sdk.Tests.Lifecycle." + Guid.NewGuid().ToString("N"));

    private static PanopticonClient NewClient(string endpoint, Action<PanopticonOptions> configure) =>
        PanopticonClient.Create(o =>
        {
            o.ApiKey = "k";
            o.Endpoint = endpoint;
            configure(o);
        });
}
