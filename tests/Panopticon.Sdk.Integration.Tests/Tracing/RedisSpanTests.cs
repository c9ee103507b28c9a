using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Testing;
using StackExchange.Redis;

namespace Panopticon.Sdk.Integration.Tests.Tracing;

/// <summary>
/// Any OpenTelemetry instrumentation added to the app's provider reaches Panopticon: StackExchange.Redis against a real
/// redis-server, its commands as CLIENT spans under the request's server span.
/// </summary>
public sealed class RedisSpanTests
{
    [RedisFact]
    public async Task SET_and_GET_in_a_request_arrive_as_client_spans_under_its_server_span()
    {
        using var redis = await RedisServer.StartAsync();
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var sink = new InMemoryPanopticonSink();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IConnectionMultiplexer>(connection);
        builder.Services.AddPanopticonMonitoring(o => o.ServiceName = "cache-api").UseInMemorySink(sink);
        // The user's one extra line: the instrumentation joins the same TracerProvider as the SDK.
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddRedisInstrumentation());

        await using var app = builder.Build();
        app.MapGet("/cart/{id}", async (string id, IConnectionMultiplexer redis) =>
        {
            var db = redis.GetDatabase();
            await db.StringSetAsync($"cart:{id}", "3 items");
            return (string?)await db.StringGetAsync($"cart:{id}");
        });
        await app.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
        };

        Assert.Equal("3 items", await http.GetStringAsync("/cart/42"));

        // The server span ends just after the response, and the instrumentation reports a command once it has completed:
        // flush until both are here (bounded).
        var client = app.Services.GetRequiredService<IPanopticonClient>();
        var deadline = Stopwatch.StartNew();
        while (sink.Spans.Count(s => s.Str("kind") is "SERVER" or "CLIENT") < 3 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await client.FlushAsync();
            await Task.Delay(50);
        }

        var server = Assert.Single(sink.Spans, s => s.Str("kind") == "SERVER");
        Assert.Equal("GET /cart/{id}", server.Str("name"));
        var commands = sink.Spans.Where(s => s.Str("kind") == "CLIENT").ToList();
        Assert.True(commands.Count == 2, string.Join(Environment.NewLine, sink.Spans.Select(s => s.GetRawText())));
        foreach (var (command, operation) in commands.OrderBy(c => c.Str("timestamp")).Zip(new[] { "SET", "GET" }))
        {
            Assert.Equal(server.Str("trace_id"), command.Str("trace_id"));
            Assert.Equal(server.Str("span_id"), command.Str("parent_span_id"));
            Assert.Equal("redis", command.Label("db_system"));
            Assert.Equal(operation, command.Str("name"));
            Assert.Equal(operation, command.Label("db_statement")); // the command, without its key or value
            Assert.Equal("OK", command.Str("status"));
            Assert.DoesNotContain("3 items", command.GetRawText());
        }
    }
}
