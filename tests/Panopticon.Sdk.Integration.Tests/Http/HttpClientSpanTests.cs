using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Integration.Tests.Http;

public sealed class HttpClientSpanTests
{
    [Fact]
    public async Task A_call_gives_a_client_span_with_redacted_url_and_sends_traceparent()
    {
        using var downstream = new DownstreamStub();
        await using var harness = new HttpHarness();
        using var http = new HttpClient();

        using var response = await http.GetAsync($"{downstream.Url}/items?api_key=s3cret&page=2");

        var span = Assert.Single(await harness.FlushSpansAsync());
        Assert.Equal("CLIENT", span.Str("kind"));
        Assert.Equal("GET", span.Str("http_method"));
        Assert.Equal("/items", span.Str("http_path"));
        Assert.Equal(200, span.Int("http_status_code"));
        Assert.Equal("OK", span.Str("status"));
        Assert.StartsWith($"{downstream.Url}/items?", span.Label("http_url"));
        Assert.DoesNotContain("s3cret", span.GetRawText());
        Assert.Equal($"00-{span.Str("trace_id")}-{span.Str("span_id")}-01", Assert.Single(downstream.Requests)["traceparent"]);
    }

    [Fact]
    public async Task Failures_are_errors()
    {
        using var downstream = new DownstreamStub();
        await using var harness = new HttpHarness();
        using var http = new HttpClient();

        using (await http.GetAsync($"{downstream.Url}/fail"))
        {
        }

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("http://127.0.0.1:1/unreachable"));

        var spans = await harness.FlushSpansAsync();
        var serverError = Assert.Single(spans, s => s.Int("http_status_code") == 500);
        Assert.Equal("ERROR", serverError.Str("status"));
        Assert.Equal("500", serverError.Label("error_type"));
        var unreachable = Assert.Single(spans, s => s.Label("http_url")!.Contains("unreachable", StringComparison.Ordinal));
        Assert.Equal("ERROR", unreachable.Str("status"));
        Assert.NotNull(unreachable.Label("error_type"));
    }

    [Fact]
    public async Task EnableHttpClientTracking_false_records_no_client_span()
    {
        using var downstream = new DownstreamStub();
        await using var harness = new HttpHarness(o => o.EnableHttpClientTracking = false);
        using var http = new HttpClient();

        using (await http.GetAsync($"{downstream.Url}/items"))
        {
        }

        Assert.Empty(await harness.FlushSpansAsync());
    }

    [Fact]
    public async Task The_sdks_own_export_calls_create_no_span_and_carry_no_traceparent()
    {
        using var producer = new ProducerStub();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPanopticon(o =>
        {
            o.ApiKey = "test-key";
            o.Endpoint = producer.Url;
            o.Compression = PanopticonCompression.None;
        }).AddHttpClientTracking().AddLogTracking();
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<TracerProvider>();
        var client = provider.GetRequiredService<IPanopticonClient>();
        var logger = provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("Worker");

        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "first");
        Assert.True((await client.FlushAsync()).Succeeded); // export calls happen here …
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "second");
        Assert.True((await client.FlushAsync()).Succeeded); // … and any span they made would be sent here

        Assert.Equal(2, producer.Logs.Count);
        Assert.Empty(producer.Spans);
        Assert.All(producer.RequestHeaders, h => Assert.False(h.ContainsKey("traceparent")));
    }

    /// <summary>Core on an in-memory sink with HttpClient tracking, the TracerProvider built (no host).</summary>
    private sealed class HttpHarness : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        public HttpHarness(Action<PanopticonOptions>? configure = null)
        {
            var services = new ServiceCollection();
            services.AddPanopticon(o => configure?.Invoke(o)).UseInMemorySink(Sink).AddHttpClientTracking();
            _provider = services.BuildServiceProvider();
            _provider.GetRequiredService<TracerProvider>();
        }

        private InMemoryPanopticonSink Sink { get; } = new();

        public async Task<IReadOnlyList<JsonElement>> FlushSpansAsync()
        {
            Assert.True((await _provider.GetRequiredService<IPanopticonClient>().FlushAsync()).Completed);
            return Sink.Spans;
        }

        public ValueTask DisposeAsync() => _provider.DisposeAsync();
    }
}
