using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Panopticon.Sdk.Integration.Tests.Support;

/// <summary>What the integration tests' web apps share: Kestrel on a free loopback port, Panopticon sending to a <see cref="ProducerStub"/>.</summary>
internal static class LoopbackApp
{
    /// <summary>
    /// A Testing-environment builder listening on <c>127.0.0.1:0</c>, with the <c>Panopticon</c> section pointed at
    /// <paramref name="producer"/> (uncompressed, so the stub reads the bodies as sent). The WireMock stubs are ASP.NET
    /// Core servers in the same process, so the app's instrumentation sees their requests too: list their paths in
    /// <paramref name="ignoredPaths"/> (a real Producer or downstream runs elsewhere).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(ProducerStub producer, string serviceName, params string[] ignoredPaths)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string?>
        {
            ["Panopticon:ApiKey"] = "test-key",
            ["Panopticon:Endpoint"] = producer.Url,
            ["Panopticon:ServiceName"] = serviceName,
            ["Panopticon:Compression"] = "None",
        };
        for (var i = 0; i < ignoredPaths.Length; i++)
        {
            settings[$"Panopticon:IgnoredPaths:{i}"] = ignoredPaths[i];
        }

        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    /// <summary>
    /// A client of the started <paramref name="app"/>. No propagator: the test's own calls create no client span and
    /// send no <c>traceparent</c> unless a test sets one.
    /// </summary>
    public static HttpClient ClientOf(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(address) };
    }

    /// <summary>
    /// Flushes until <paramref name="arrived"/> holds for the spans the Producer has: a server span ends just after its
    /// response reaches the client, so one flush right after the response may come too early. Bounded at 10 s.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> FlushUntilAsync(IServiceProvider services, ProducerStub producer, Func<IReadOnlyList<JsonElement>, bool> arrived, string what)
    {
        var client = services.GetRequiredService<IPanopticonClient>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = await client.FlushAsync();
            Assert.True(result.Succeeded, result.ToString());
            var spans = producer.Spans;
            if (arrived(spans))
            {
                return spans;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"{what} did not arrive within 10 s");
            await Task.Delay(10);
        }
    }
}
